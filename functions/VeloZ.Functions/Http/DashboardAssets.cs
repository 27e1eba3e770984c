using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace VeloZ.Functions.Http;

/// <summary>
/// The dashboard's files, embedded in the API's assembly (<c>Dashboard/wwwroot</c>, resource names
/// <c>dashboard/&lt;file&gt;</c>) and read once. A request names a file; only an exact name of this fixed set
/// is ever served, so no path (<c>..</c>, an encoded slash, a drive letter) can reach anything else: there is
/// no file system behind it.
/// </summary>
public sealed class DashboardAssets
{
    /// <summary>The file served for the dashboard's own path (<c>/dashboard/</c>).</summary>
    public const string IndexFile = "index.html";

    private const string ResourcePrefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> s_contentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, DashboardFile> _files;

    public DashboardAssets()
        : this(typeof(DashboardAssets).Assembly)
    {
    }

    internal DashboardAssets(Assembly assembly)
    {
        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            if (!s_contentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                throw new InvalidOperationException($"Dashboard file {name} has no known content type; add its extension to DashboardAssets.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            files[name] = new DashboardFile(name, contentType, bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes), 0, 16) + "\"");
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every file's name.</summary>
    public IEnumerable<string> Names => _files.Keys;

    /// <summary>The file of exactly this name (empty = <see cref="IndexFile"/>), or null.</summary>
    public DashboardFile? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _files.GetValueOrDefault(name.Length == 0 ? IndexFile : name);
    }
}

/// <summary>One dashboard file: its bytes, content type and entity tag (a hash of the bytes).</summary>
public sealed record DashboardFile(string Name, string ContentType, byte[] Bytes, string ETag);

using System.Text;

namespace VeloZ.EndToEnd.Tests.Fuzz;

/// <summary>Who a fuzzed request claims to be.</summary>
internal enum FuzzCredential
{
    None,
    Admin,
    Trade,
    Read,
    Garbage,
    BearerAdmin,
    OtherScheme,
    TwoKeys,
}

/// <summary>One generated request: everything needed to send it and to describe it in a failure message.</summary>
internal sealed record FuzzRequest(
    int Index,
    string Method,
    string Target,
    string? ContentType,
    byte[]? Body,
    bool Chunked,
    FuzzCredential Credential,
    string Kind)
{
    /// <summary>True for the endpoint whose successful answers legitimately reach the venue.</summary>
    /// <remarks>Method names are matched without regard to case by ASP.NET Core's routing, so <c>get</c> is a GET.</remarks>
    public bool IsPing => Method.Equals("GET", StringComparison.OrdinalIgnoreCase) && Target.StartsWith("/api/execution/ping", StringComparison.Ordinal);

    public bool IsHuge => Body is { Length: > 16 * 1024 };

    /// <summary>A request that routing sends to the order function (any case, trailing slash).</summary>
    public bool IsOrder => Method.Equals("POST", StringComparison.OrdinalIgnoreCase) && Target.Split('?')[0].TrimEnd('/').Equals("/api/order", StringComparison.OrdinalIgnoreCase);

    public string Describe()
    {
        var body = Body is null ? "(no body)" : Body.Length > 160 ? $"{Body.Length} bytes: {Printable(Body.AsSpan(0, 160))}…" : Printable(Body);
        return $"#{Index} [{Kind}] {Method} {Target} auth={Credential} type={ContentType ?? "(none)"}{(Chunked ? " chunked" : "")} {body}";
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return builder.ToString();
    }
}

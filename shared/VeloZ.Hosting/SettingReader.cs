using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;

namespace VeloZ.Hosting;

/// <summary>
/// Reads single settings for the per-concern readers and collects every problem, so one start reports all of
/// them. A wrong value is never replaced by a default silently: it is an error, and the default only stands in
/// so the other settings can still be checked.
/// </summary>
internal sealed class SettingReader(IConfiguration configuration)
{
    private const int MaxEchoedLength = 80;
    private readonly List<ConfigurationError> _errors = [];

    public IReadOnlyList<ConfigurationError> Errors => _errors;

    /// <summary>The trimmed value, or null when unset or blank.</summary>
    public string? Read(string name)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public void Fail(string variable, string message) => _errors.Add(new(variable, message));

    public bool HasError(string variable) => _errors.Any(e => e.Variable == variable);

    public T Mode<T>(string variable, T fallback, TryParse<T> parse, IReadOnlyList<string> allowed)
        where T : struct
    {
        if (Read(variable) is not { } text)
        {
            return fallback;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        Fail(variable, $"invalid value {Echo(text)}; allowed values: {string.Join(", ", allowed)}");
        return fallback;
    }

    public delegate bool TryParse<T>(string text, out T value);

    public int Int(string variable, int fallback, int min, int max)
    {
        if (Read(variable) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(variable, $"invalid value {Echo(text)}; expected a whole number from {min} to {max}");
        return fallback;
    }

    public decimal PositiveDecimal(string variable, decimal fallback)
    {
        if (Read(variable) is not { } text)
        {
            return fallback;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0m)
        {
            return value;
        }

        Fail(variable, $"invalid value {Echo(text)}; expected a positive decimal number such as 42000.5");
        return fallback;
    }

    public bool? Bool(string variable)
    {
        var text = Read(variable);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                Fail(variable, $"invalid value {Echo(text)}; allowed values: true, false");
                return null;
        }
    }

    public Uri Url(string variable, Uri fallback, string[] schemes)
    {
        if (Read(variable) is not { } text)
        {
            return fallback;
        }

        if (Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.Ordinal)
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return uri;
        }

        Fail(variable, $"invalid value {Echo(text)}; expected an absolute {string.Join(" or ", schemes)} URL without query or credentials");
        return fallback;
    }

    public Secret Secret(string variable)
    {
        if (Read(variable) is not { } text)
        {
            return Domain.Configuration.Secret.Empty;
        }

        // In Azure the platform replaces "@Microsoft.KeyVault(...)" by the secret; left as it is, the secret is
        // missing or the app's identity may not read it. Signing with the reference text would only get
        // rejections from the venue, so the process refuses to start and says why.
        if (text.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            Fail(variable, "is an unresolved Key Vault reference: the secret does not exist yet or the app's managed identity may not read it (see docs/deployment.md)");
            return Domain.Configuration.Secret.Empty;
        }

        // The value itself is never echoed: it is a credential. A PEM key (an Ed25519 private key) has spaces and
        // line breaks of its own; whoever reads it checks its form.
        var pem = text.StartsWith("-----BEGIN ", StringComparison.Ordinal);
        if (!pem && (text.Any(char.IsControl) || text.Any(char.IsWhiteSpace)))
        {
            Fail(variable, "invalid value (not shown); it contains white space or control characters");
            return Domain.Configuration.Secret.Empty;
        }

        return new Secret(text);
    }

    /// <summary>The lower-cased key names of a <c>Key=value;Key=value</c> connection string, to check its shape without echoing it.</summary>
    public static IReadOnlySet<string> ConnectionStringKeys(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)[0].Trim().ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Quotes a bad value for the one-line error, with control characters escaped and length capped.</summary>
    public static string Echo(string text)
    {
        var builder = new StringBuilder("'");
        foreach (var c in text.Length > MaxEchoedLength ? text[..MaxEchoedLength] : text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        if (text.Length > MaxEchoedLength)
        {
            builder.Append('…');
        }

        return builder.Append('\'').ToString();
    }
}

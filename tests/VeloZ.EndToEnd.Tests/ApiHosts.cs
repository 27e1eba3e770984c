namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// The two ways the API runs: <c>standalone</c> on Kestrel, and <c>functions</c>, the published Azure
/// Functions worker behind the Functions host stand-in. <c>VELOZ_TEST_HOST</c> picks one
/// (<c>standalone</c> or <c>functions</c>); unset or <c>both</c> runs every contract test against both.
/// </summary>
public static class ApiHosts
{
    public const string Standalone = "standalone";
    public const string Functions = "functions";

    public static IReadOnlyList<string> Enabled { get; } = Resolve(Environment.GetEnvironmentVariable("VELOZ_TEST_HOST"));

    /// <summary>Theory data: one row per enabled host.</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var host in Enabled)
            {
                data.Add(host);
            }

            return data;
        }
    }

    public static IReadOnlyList<string> Resolve(string? setting) => (setting?.Trim().ToLowerInvariant()) switch
    {
        null or "" or "both" => [Standalone, Functions],
        Standalone => [Standalone],
        Functions => [Functions],
        _ => throw new InvalidOperationException($"VELOZ_TEST_HOST='{setting}' is not valid; allowed values: standalone, functions, both."),
    };
}

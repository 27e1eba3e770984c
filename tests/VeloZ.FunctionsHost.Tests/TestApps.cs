namespace VeloZ.FunctionsHost.Tests;

/// <summary>The published apps the stand-in's tests run: VeloZ.Functions and the small test app.</summary>
internal static class TestApps
{
    public const string TestAppProject = "tests/VeloZ.FunctionsHost.TestApp/VeloZ.FunctionsHost.TestApp.csproj";
    public const string TestAppOutput = "artifacts/functions-host-testapp";

    public static Task<string> VelozFunctionsAsync() =>
        FunctionsAppPublisher.GetVelozFunctionsAsync(Console.WriteLine, TestContext.Current.CancellationToken);

    public static Task<string> TestAppAsync() =>
        FunctionsAppPublisher.PublishOnceAsync(TestAppProject, TestAppOutput, Console.WriteLine, TestContext.Current.CancellationToken);

    /// <summary>Options whose log goes to the current test's output.</summary>
    public static FunctionsHostStandInOptions OptionsFor(string appDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? startupTimeout = null) => new()
    {
        AppDirectory = appDirectory,
        Environment = environment ?? new Dictionary<string, string?>(),
        StartupTimeout = startupTimeout ?? TimeSpan.FromSeconds(60),
        Log = line => TestContext.Current.TestOutputHelper?.WriteLine(line),
    };
}

namespace VeloZ.FunctionsHost;

/// <summary>An HTTP trigger's <c>authLevel</c>, with the values of the Functions SDK.</summary>
public enum FunctionAuthLevel
{
    /// <summary>No key.</summary>
    Anonymous = 0,

    /// <summary>App Service authentication; the stand-in only accepts the master key.</summary>
    User = 1,

    /// <summary>A function key (or the master key).</summary>
    Function = 2,

    /// <summary>A system key; the stand-in only accepts the master key.</summary>
    System = 3,

    /// <summary>The master key.</summary>
    Admin = 4,
}

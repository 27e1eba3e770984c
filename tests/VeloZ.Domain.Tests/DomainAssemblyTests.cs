using VeloZ.Domain.Configuration;

namespace VeloZ.Domain.Tests;

/// <summary>The domain is plain .NET: hosting, web and configuration frameworks stay in the projects that host it.</summary>
public sealed class DomainAssemblyTests
{
    [Fact]
    public void The_domain_references_neither_ASP_NET_Core_nor_the_configuration_or_logging_frameworks()
    {
        var referenced = typeof(GatewayOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("System.Runtime", referenced);
        Assert.DoesNotContain(referenced, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, n => n.StartsWith("Microsoft.Extensions.Configuration", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, n => n.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, n => n.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
    }
}

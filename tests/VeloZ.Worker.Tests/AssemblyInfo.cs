using VeloZ.Testing;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

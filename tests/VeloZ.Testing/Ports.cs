using System.Net;
using System.Net.Sockets;

namespace VeloZ.Testing;

/// <summary>Loopback port helpers.</summary>
public static class Ports
{
    /// <summary>A port that was free a moment ago (for processes that cannot report their own).</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A connection string to a storage account on a port nobody listens on.</summary>
    public static string UnreachableStorageConnectionString()
    {
        var port = GetFree();
        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.AccountKey};" +
               $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }
}

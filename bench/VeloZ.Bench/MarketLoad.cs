using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VeloZ.Bench;

/// <summary>
/// Closed-loop <c>GET /api/market</c> load: each client is one kept-alive HTTP/1.1 connection that sends the
/// next request as soon as the previous response is complete (no pipelining), like <c>wrk</c>. Plain sockets
/// and in-place parsing keep the load generator's share of the shared cores small.
/// </summary>
internal static class MarketLoad
{
    public sealed record Result(long Requests, long Errors, double Seconds, LatencyHistogram Latency, string? FirstBody);

    public static async Task<Result> RunAsync(Uri apiBase, int clients, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apiBase);
        var endpoint = new IPEndPoint(IPAddress.Parse(apiBase.Host), apiBase.Port);
        var request = Encoding.ASCII.GetBytes($"GET /api/market HTTP/1.1\r\nHost: {apiBase.Authority}\r\nAccept: application/json\r\n\r\n");
        var histogram = new LatencyHistogram();
        long requests = 0;
        long errors = 0;
        string? firstBody = null;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var tasks = Enumerable.Range(0, clients).Select(async _ =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint, cancellationToken);
            var buffer = new byte[16384];
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await socket.SendAsync(request, SocketFlags.None, cancellationToken);
                var (ok, length) = await ReadResponseAsync(socket, buffer, cancellationToken);
                histogram.Record((long)Stopwatch.GetElapsedTime(started).TotalNanoseconds);
                Interlocked.Increment(ref requests);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }

                if (firstBody is null)
                {
                    Interlocked.CompareExchange(ref firstBody, Encoding.UTF8.GetString(buffer, 0, length), null);
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        return new Result(requests, errors, clock.Elapsed.TotalSeconds, histogram, firstBody);
    }

    /// <summary>Reads one whole response (Content-Length or chunked); true when it is a 200.</summary>
    private static async Task<(bool Ok, int Length)> ReadResponseAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        var bodyStart = -1;
        var contentLength = -1;
        var chunked = false;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The API closed the connection.");
            }

            length += read;
            if (bodyStart < 0)
            {
                var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
                if (end < 0)
                {
                    continue;
                }

                bodyStart = end + 4;
                var head = Encoding.ASCII.GetString(buffer, 0, end);
                chunked = head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase);
                var at = head.IndexOf("content-length:", StringComparison.OrdinalIgnoreCase);
                if (at >= 0)
                {
                    var digits = head[(at + 15)..].TrimStart();
                    var stopAt = digits.IndexOf('\r', StringComparison.Ordinal);
                    contentLength = int.Parse(stopAt < 0 ? digits : digits[..stopAt], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            var complete = chunked
                ? buffer.AsSpan(0, length).EndsWith("\r\n0\r\n\r\n"u8)
                : contentLength >= 0 && length - bodyStart >= contentLength;
            if (complete)
            {
                return (buffer.AsSpan(0, length).StartsWith("HTTP/1.1 200 "u8), length);
            }
        }
    }
}

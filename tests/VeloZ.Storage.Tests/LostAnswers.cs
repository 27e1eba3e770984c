using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace VeloZ.Storage.Tests;

/// <summary>
/// A pipeline policy that can lose the answer of a write that succeeded: the write lands in storage, the caller
/// sees the connection reset before the answer came (as an SDK retry policy sees a transport failure).
/// </summary>
internal sealed class LostAnswers(Func<Request, bool> isWatchedWrite) : HttpPipelinePolicy
{
    private int _armed;
    private int _sent;
    private int _dropped;

    /// <summary>How many watched writes were sent (including re-sends).</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>How many answers were lost so far.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Loses the answer of the next watched write that succeeds.</summary>
    public void DropNextAnswer() => Interlocked.Exchange(ref _armed, 1);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        LoseIfArmed(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        LoseIfArmed(message);
    }

    private void LoseIfArmed(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Get || !isWatchedWrite(message.Request))
        {
            return;
        }

        Interlocked.Increment(ref _sent);
        if (message.Response.Status is >= 200 and < 300 && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Interlocked.Increment(ref _dropped);
            // What the HTTP transport throws when the connection breaks: status 0, which the SDK retries.
            throw new RequestFailedException("The connection was reset before the answer arrived.", new HttpRequestException("connection reset"));
        }
    }
}

using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using VeloZ.Domain.Configuration;

namespace VeloZ.Storage;

/// <summary>
/// The API→worker note queue (<c>{prefix}notes</c>): each message names orders (client order ids, one per
/// line) whose rows the API changed, so the worker turns the change into events at once rather than at its
/// next sweep. Notes only say "look at this order"; the order row is the truth, so a note seen twice or
/// lost changes nothing but latency.
/// </summary>
public sealed class OrderNotes
{
    /// <summary>Longest message body we send (the service allows 64 KiB).</summary>
    public const int MaxMessageChars = 48 * 1024;

    private readonly QueueClient _queue;
    private volatile bool _created;

    public OrderNotes(StorageOptions options, StorageConnection connection)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        try
        {
            _queue = connection.CreateQueueClient(options.StoragePrefix + "notes", clientOptions);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new GatewayConfigurationException([new ConfigurationError(ConfigurationVariables.StorageConnection, "is not a valid storage connection string (value not shown)")]);
        }
    }

    public string Name => _queue.Name;

    /// <summary>Sends one note naming <paramref name="clientOrderIds"/> (split into several messages if long).</summary>
    public async Task SendAsync(IReadOnlyCollection<string> clientOrderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientOrderIds);
        var body = new StringBuilder();
        foreach (var id in clientOrderIds)
        {
            if (body.Length + id.Length + 1 > MaxMessageChars)
            {
                await SendOneAsync(body.ToString(), cancellationToken).ConfigureAwait(false);
                body.Clear();
            }

            body.Append(id).Append('\n');
        }

        if (body.Length > 0)
        {
            await SendOneAsync(body.ToString(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Up to 32 notes, hidden from other readers for <paramref name="visibility"/>.</summary>
    public async Task<IReadOnlyList<(string MessageId, string PopReceipt, IReadOnlyList<string> ClientOrderIds)>> ReceiveAsync(TimeSpan visibility, CancellationToken cancellationToken)
    {
        QueueMessage[] messages;
        try
        {
            messages = (await Guard(() => _queue.ReceiveMessagesAsync(32, visibility, cancellationToken)).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            return [];
        }

        return [.. messages.Select(m => (m.MessageId, m.PopReceipt, (IReadOnlyList<string>)m.Body.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)))];
    }

    public async Task DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await Guard(() => _queue.DeleteMessageAsync(messageId, popReceipt, cancellationToken)).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone (its visibility ran out and another read deleted it): nothing to do.
        }
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Guard(() => _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        _created = true;
    }

    private async Task SendOneAsync(string body, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await Guard(() => _queue.SendMessageAsync(body, cancellationToken)).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await Guard(() => _queue.SendMessageAsync(body, cancellationToken)).ConfigureAwait(false);
        }
    }

    private static Task<T> Guard<T>(Func<Task<T>> call) => StorageCalls.GuardAsync("Queue storage", call);
}

using Campaigns.Worker.Delivery;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Sending;

/// <summary>
/// With <c>Sender:RecordCalls</c> (tests), writes every provider call to <c>sender_calls</c>, one INSERT
/// per group of calls and before the calls are made, so neither a worker crash nor a Redis flush can
/// erase the evidence a test needs ("never sent twice", "attempted exactly three times"). A group is
/// recorded once admitted, and a message of it claimed ahead may then wait for a free slot: if it is
/// handed back meanwhile (the worker stops, the batch fails), its record goes, as no call was made.
/// </summary>
public sealed class SenderCallRecorder(NpgsqlDataSource dataSource, ConsumerIdentity identity, ILogger<SenderCallRecorder> logger)
    : IBeforeSendHook
{
    // A passing database hiccup should not fail the batch: a few quick tries, then the batch fails.
    private const int MaxAttempts = 3;
    private static readonly TimeSpan RetryDelayStep = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ForgetDeadline = TimeSpan.FromSeconds(5);

    public async Task BeforeSendAsync(IReadOnlyList<ClaimedMessage> messages, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordAsync(messages, cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < MaxAttempts)
            {
                Log.RecordCallsFailed(logger, e, messages.Count);
                await Task.Delay(RetryDelayStep * attempt, cancellationToken);
            }
        }
    }

    public async Task HandedBackAsync(IReadOnlyList<ClaimedMessage> messages)
    {
        // The worker may be stopping: its own short deadline, not the stopping token.
        using var deadline = new CancellationTokenSource(ForgetDeadline);
        const string sql = """
            DELETE FROM sender_calls c
            USING unnest(@ids::bigint[], @attempts::integer[]) AS t(id, attempt)
            WHERE c.outbound_message_id = t.id AND c.attempt = t.attempt AND c.worker = @worker
            """;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(deadline.Token);
            await connection.ExecuteAsync(new CommandDefinition(sql, new
            {
                ids = messages.Select(m => m.Id).ToArray(),
                attempts = messages.Select(m => m.Attempt).ToArray(),
                worker = identity.Name,
            }, cancellationToken: deadline.Token));
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            Log.ForgetCallsFailed(logger, e, messages.Count);
        }
    }

    private async Task RecordAsync(IReadOnlyList<ClaimedMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        const string sql = """
            INSERT INTO sender_calls (outbound_message_id, attempt, idempotency_key, channel, phone, worker)
            SELECT t.id, t.attempt, t.idempotency_key, t.channel, t.phone, @worker
            FROM unnest(@ids::bigint[], @attempts::integer[], @keys::text[], @channels::text[], @phones::text[])
                AS t(id, attempt, idempotency_key, channel, phone)
            """;
        var parameters = new
        {
            ids = messages.Select(m => m.Id).ToArray(),
            attempts = messages.Select(m => m.Attempt).ToArray(),
            keys = messages.Select(m => m.IdempotencyKey).ToArray(),
            channels = messages.Select(m => m.Channel).ToArray(),
            phones = messages.Select(m => m.Phone).ToArray(),
            worker = identity.Name,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}

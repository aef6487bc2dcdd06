using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Worker.Sending;

/// <summary>
/// With <c>Sender:RecordCalls</c>, writes every provider call to <c>sender_calls</c>, one INSERT per
/// batch and before the calls are made, so neither a worker crash nor a Redis flush can erase the
/// evidence a test needs ("never sent twice", "attempted exactly three times").
/// </summary>
public sealed class SenderCallRecorder(NpgsqlDataSource dataSource, IOptions<SenderOptions> options, ConsumerIdentity identity)
{
    public bool Enabled { get; } = options.Value.RecordCalls;

    public async Task RecordAsync(IReadOnlyList<ClaimedMessage> messages, CancellationToken cancellationToken)
    {
        if (!Enabled || messages.Count == 0)
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

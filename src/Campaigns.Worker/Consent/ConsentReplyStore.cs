using Dapper;
using Npgsql;

namespace Campaigns.Worker.Consent;

/// <summary>The confirmation outbox of migration 0012: take due replies, record what became of them.</summary>
public sealed class ConsentReplyStore(NpgsqlDataSource dataSource)
{
    /// <summary>A reply taken for an attempt (<see cref="Attempts"/> counts this one).</summary>
    public sealed record Reply(long Id, string Phone, string Channel, string Body, int Attempts);

    /// <summary>What became of one attempt: <c>sent</c>, <c>failed</c>, or <c>pending</c> again after <see cref="Delay"/>.</summary>
    public sealed record Outcome(long Id, int Attempts, string Status, string? Provider, string? ProviderMessageId, string? Error,
        TimeSpan Delay);

    public async Task<IReadOnlyList<Reply>> ClaimAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Reply>(new CommandDefinition(
            "SELECT id, phone, channel, body, attempts FROM claim_consent_replies(@limit, @lease)",
            new { limit, lease }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task RecordAsync(IReadOnlyList<Outcome> outcomes, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT record_consent_replies(@ids, @attempts, @statuses, @providers, @providerMessageIds, @errors, @delays)", new
            {
                ids = outcomes.Select(o => o.Id).ToArray(),
                attempts = outcomes.Select(o => o.Attempts).ToArray(),
                statuses = outcomes.Select(o => o.Status).ToArray(),
                providers = outcomes.Select(o => o.Provider).ToArray(),
                providerMessageIds = outcomes.Select(o => o.ProviderMessageId).ToArray(),
                errors = outcomes.Select(o => o.Error).ToArray(),
                delays = outcomes.Select(o => o.Delay).ToArray(),
            }, cancellationToken: cancellationToken));
    }
}

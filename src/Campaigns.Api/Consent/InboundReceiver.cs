using System.Diagnostics;
using Campaigns.Core.Domain;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Api.Consent;

/// <summary>
/// Stores inbound messages, from every provider's inbound webhook and <c>POST /inbound</c>, and acts on
/// their keywords in the same statement (migration 0012's <c>receive_inbound_messages</c>): STOP
/// suppresses the phone on every channel, START lifts that, and each keyword queues its confirmation
/// for the worker to send (at most one a day per phone; none when the provider answers keywords itself).
/// A message a provider posts again is stored, and acted on, once.
/// </summary>
public sealed class InboundReceiver(NpgsqlDataSource dataSource, IOptionsMonitor<ConsentOptions> options, ILogger<InboundReceiver> logger)
{
    /// <summary>A message as received; phones in E.164; <c>ProviderMessageId</c> null for <c>POST /inbound</c>.</summary>
    public sealed record Incoming(string? ProviderMessageId, string Channel, string From, string? To, string Text);

    public async Task<IReadOnlyList<InboundRow>> ReceiveAsync(string? provider, IReadOnlyList<Incoming> messages,
        CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {InboundRow.Columns}
            FROM receive_inbound_messages(@provider, @ids, @channels, @from, @to, @bodies, @keywords, @replies)
            """;
        var consent = options.CurrentValue;
        var keywords = messages.Select(m => ConsentKeywords.Classify(m.Text)).ToArray();
        var answeredByProvider = provider == ProviderName.Twilio && consent.TwilioAnswersKeywords;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var stored = (await connection.QueryAsync<InboundRow>(new CommandDefinition(sql, new
        {
            provider,
            ids = messages.Select(m => m.ProviderMessageId).ToArray(),
            channels = messages.Select(m => m.Channel).ToArray(),
            from = messages.Select(m => m.From).ToArray(),
            to = messages.Select(m => m.To).ToArray(),
            bodies = messages.Select(m => m.Text).ToArray(),
            keywords,
            replies = keywords.Select(k => k is null || answeredByProvider ? null : consent.ReplyTo(k)).ToArray(),
        }, cancellationToken: cancellationToken))).AsList();

        foreach (var row in stored.Where(r => r.Keyword is not null))
        {
            Log.KeywordReceived(logger, row.Keyword!, row.Channel, provider ?? "api", row.CustomerId);
        }
        Activity.Current?.SetTag("campaigns.inbound.keywords", stored.Count(r => r.Keyword is not null));
        return stored;
    }
}

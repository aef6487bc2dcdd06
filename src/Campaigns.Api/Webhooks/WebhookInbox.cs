using Campaigns.Api.Telemetry;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// The webhooks' one write: a request's receipts into the receipt inbox and its inbound messages, in
/// one statement (migration 0010's <c>store_receipts</c> and <c>store_inbound_messages</c>). The worker
/// applies the receipts; nothing else is written here. Counts what it stored on the request's span and
/// the receipts metric.
/// </summary>
public sealed class WebhookInbox(NpgsqlDataSource dataSource, ApiTelemetry telemetry, ILogger<WebhookInbox> logger)
{
    public async Task StoreAsync(string provider, IReadOnlyList<Receipt> receipts, IReadOnlyList<InboundMessage> inbound,
        CancellationToken cancellationToken)
    {
        if (receipts.Count == 0 && inbound.Count == 0)
        {
            return; // a notification of something else (Meta sends several kinds): nothing to keep
        }
        // Only the functions a request needs: a status callback (nearly every request) is one insert.
        var sql = $"SELECT {(receipts.Count > 0 ? StoreReceipts : "0")} AS receipts, {(inbound.Count > 0 ? StoreInbound : "0")} AS inbound";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var stored = await connection.QuerySingleAsync<Stored>(new CommandDefinition(sql, new
        {
            provider,
            receiptIds = receipts.Select(r => r.ProviderMessageId).ToArray(),
            kinds = receipts.Select(r => r.Kind).ToArray(),
            statuses = receipts.Select(r => r.ProviderStatus).ToArray(),
            errorCodes = receipts.Select(r => r.ErrorCode).ToArray(),
            occurredAt = receipts.Select(r => r.OccurredAt?.ToUniversalTime()).ToArray(),
            suppressPhone = receipts.Select(r => r.SuppressPhone).ToArray(),
            inboundIds = inbound.Select(m => m.ProviderMessageId).ToArray(),
            channels = inbound.Select(m => m.Channel).ToArray(),
            from = inbound.Select(m => m.From).ToArray(),
            to = inbound.Select(m => m.To).ToArray(),
            bodies = inbound.Select(m => m.Body).ToArray(),
        }, cancellationToken: cancellationToken));

        foreach (var receipt in receipts)
        {
            telemetry.WebhookReceipts.Add(1, new("provider", provider), new("kind", receipt.Kind));
        }
        var activity = System.Diagnostics.Activity.Current;
        activity?.SetTag(WebhookSpan.ReceiptCountTag, stored.Receipts);
        activity?.SetTag(WebhookSpan.InboundCountTag, stored.Inbound);
        // Inbound messages a provider posted again are stored once: fewer stored than received is no error.
        Log.WebhookStored(logger, provider, stored.Receipts, stored.Inbound, inbound.Count - stored.Inbound);
    }

    private const string StoreReceipts = "store_receipts(@provider, @receiptIds, @kinds, @statuses, @errorCodes, @occurredAt, @suppressPhone)";
    private const string StoreInbound = "store_inbound_messages(@provider, @inboundIds, @channels, @from, @to, @bodies)";

    private sealed record Stored(int Receipts, int Inbound);
}

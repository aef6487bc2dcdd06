using Campaigns.Api.Telemetry;
using Dapper;
using Npgsql;

using Campaigns.Api.Consent;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// The webhooks' writes: a request's receipts into the receipt inbox in one statement (migration 0010's
/// <c>store_receipts</c>; the worker applies them), and its inbound messages through the
/// <see cref="InboundReceiver"/> (stored, keywords acted on). Counts what it stored on the request's span
/// and the receipts metric.
/// </summary>
public sealed class WebhookInbox(NpgsqlDataSource dataSource, InboundReceiver inboundReceiver, ApiTelemetry telemetry,
    ILogger<WebhookInbox> logger)
{
    public async Task StoreAsync(string provider, IReadOnlyList<Receipt> receipts, IReadOnlyList<InboundMessage> inbound,
        CancellationToken cancellationToken)
    {
        if (receipts.Count == 0 && inbound.Count == 0)
        {
            return; // a notification of something else (Meta sends several kinds): nothing to keep
        }
        var storedReceipts = receipts.Count == 0 ? 0 : await StoreReceiptsAsync(provider, receipts, cancellationToken);
        var storedInbound = inbound.Count == 0 ? 0 : (await inboundReceiver.ReceiveAsync(provider,
            [.. inbound.Select(m => new InboundReceiver.Incoming(m.ProviderMessageId, m.Channel, m.From, m.To, m.Body))],
            cancellationToken)).Count;

        foreach (var receipt in receipts)
        {
            telemetry.WebhookReceipts.Add(1, new("provider", provider), new("kind", receipt.Kind));
        }
        var activity = System.Diagnostics.Activity.Current;
        activity?.SetTag(WebhookSpan.ReceiptCountTag, storedReceipts);
        activity?.SetTag(WebhookSpan.InboundCountTag, storedInbound);
        // Inbound messages a provider posted again are stored once: fewer stored than received is no error.
        Log.WebhookStored(logger, provider, storedReceipts, storedInbound, inbound.Count - storedInbound);
    }

    private async Task<int> StoreReceiptsAsync(string provider, IReadOnlyList<Receipt> receipts, CancellationToken cancellationToken)
    {
        const string sql = "SELECT store_receipts(@provider, @ids, @kinds, @statuses, @errorCodes, @occurredAt, @suppressPhone)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new
        {
            provider,
            ids = receipts.Select(r => r.ProviderMessageId).ToArray(),
            kinds = receipts.Select(r => r.Kind).ToArray(),
            statuses = receipts.Select(r => r.ProviderStatus).ToArray(),
            errorCodes = receipts.Select(r => r.ErrorCode).ToArray(),
            occurredAt = receipts.Select(r => r.OccurredAt?.ToUniversalTime()).ToArray(),
            suppressPhone = receipts.Select(r => r.SuppressPhone).ToArray(),
        }, cancellationToken: cancellationToken));
    }
}

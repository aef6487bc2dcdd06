namespace Campaigns.Api.Webhooks;

/// <summary>
/// One receipt as the inbox stores it (<c>provider_receipts</c>): the provider's message id, what the
/// status means here (<see cref="Campaigns.Core.Domain.ReceiptKind"/>), the provider's own status word and
/// error code, when it happened (null: when it reached us), and whether the phone is to be suppressed.
/// </summary>
public sealed record Receipt(
    string ProviderMessageId,
    string Kind,
    string ProviderStatus,
    string? ErrorCode = null,
    DateTimeOffset? OccurredAt = null,
    bool SuppressPhone = false);

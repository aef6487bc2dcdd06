using System.Globalization;
using Campaigns.Api.Validation;
using Campaigns.Core.Domain;

namespace Campaigns.Api.Webhooks;

/// <summary>A WhatsApp Cloud API status as a receipt (api.md, "Provider webhooks", Mapping).</summary>
public static class WhatsAppReceipts
{
    // DateTimeOffset's last second: a larger timestamp is no time at all.
    private const long MaxUnixSeconds = 253_402_300_799;

    public static string Kind(string status) => status switch
    {
        "sent" => ReceiptKind.Sent,
        "delivered" => ReceiptKind.Delivered,
        "read" => ReceiptKind.Read,
        "failed" => ReceiptKind.Undelivered,
        // deleted, warning and anything new: recorded, no effect.
        _ => ReceiptKind.ProviderStatus,
    };

    /// <param name="at">Where the status is in the body (<c>entry[0].changes[0].value.statuses[1]</c>), to name its fields in errors.</param>
    /// <returns>The receipt, or null when a field is missing or unreadable (then in <paramref name="errors"/>).</returns>
    public static Receipt? Map(WhatsAppStatus status, string at, ValidationErrors errors)
    {
        var id = Required(status.Id, $"{at}.id", errors);
        var word = Required(status.Status, $"{at}.status", errors);
        var occurredAt = OccurredAt(status.Timestamp, $"{at}.timestamp", errors, out var readable);
        if (id is null || word is null || !readable)
        {
            return null;
        }
        // Meta lists the failure's errors; the first is the reason.
        var errorCode = status.Errors is [{ Code: { } code }, ..] ? code.ToString(CultureInfo.InvariantCulture) : null;
        return new Receipt(id, Kind(word), word, errorCode, occurredAt);
    }

    /// <summary>Unix seconds as a string; absent is null (the receipt then happened when it reached us).</summary>
    public static DateTimeOffset? OccurredAt(string? timestamp, string field, ValidationErrors errors, out bool readable)
    {
        readable = true;
        if (timestamp is null)
        {
            return null;
        }
        if (long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxUnixSeconds)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        readable = false;
        errors.Add(field, $"{field} must be Unix seconds, e.g. \"1700000000\"");
        return null;
    }

    public static string? Required(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, $"{field} is required");
            return null;
        }
        return value;
    }
}

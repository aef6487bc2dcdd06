using System.Globalization;

namespace Campaigns.Worker.Providers;

/// <summary>
/// Africa's Talking per-recipient <c>statusCode</c>s by class, per the issue #14 design notes §2.
/// <c>status</c> says nothing of delivery: receipts do.
/// </summary>
internal static class AfricasTalkingStatuses
{
    public static ProviderOutcome Classify(int statusCode, string? status, string? messageId)
    {
        var code = statusCode.ToString(CultureInfo.InvariantCulture);
        return statusCode switch
        {
            // Processed, Sent, Queued.
            100 or 101 or 102 when messageId is { Length: > 0 } and not "None" => ProviderOutcome.Accepted(messageId),
            100 or 101 or 102 => ProviderOutcome.Unknown(code, "Accepted without a message id"),
            // InvalidPhoneNumber.
            403 => ProviderOutcome.Permanent(code, status),
            // UserInBlacklist: the contract's provider-side opt-out.
            406 => ProviderOutcome.Permanent(code, status, suppressPhone: true),
            // RiskHold, InvalidSenderId, InsufficientBalance, InternalServerError, GatewayError: the account
            // or AT itself, so every message would fail alike.
            401 or 402 or 405 or 500 or 501 => ProviderOutcome.Transient(code, status, circuitFailure: true),
            // UnsupportedNumberType, CouldNotRoute, DoNotDisturbRejection, RejectedByGateway, and any code
            // not documented: this message at this provider; another provider (or a later try) may do.
            _ => ProviderOutcome.Transient(code, status),
        };
    }
}

using Campaigns.ProviderSimulator.Outcomes;

namespace Campaigns.ProviderSimulator.Receipts;

public enum ReceiptKind { Sent, Delivered, Undelivered, Read }

/// <summary>One event of an accepted message's life that its provider reports; each provider spells it its own way.</summary>
/// <param name="ErrorCode">The provider's code of an undelivered message; null for its usual one.</param>
public sealed record ReceiptStep(ReceiptKind Kind, string? ErrorCode = null)
{
    /// <summary>The events a message with this fate goes through, in the order they happen.</summary>
    /// <param name="readable">Whether the channel reports reads (WhatsApp); elsewhere a read is a delivery.</param>
    public static IReadOnlyList<ReceiptStep> For(Decision decision, bool readable) => decision.Receipt switch
    {
        ReceiptOutcome.Delivered => [new(ReceiptKind.Sent), new(ReceiptKind.Delivered)],
        ReceiptOutcome.Undelivered => [new(ReceiptKind.Sent), new(ReceiptKind.Undelivered, decision.ErrorCode)],
        ReceiptOutcome.Read when readable => [new(ReceiptKind.Sent), new(ReceiptKind.Delivered), new(ReceiptKind.Read)],
        ReceiptOutcome.Read => [new(ReceiptKind.Sent), new(ReceiptKind.Delivered)],
        _ => [],
    };
}

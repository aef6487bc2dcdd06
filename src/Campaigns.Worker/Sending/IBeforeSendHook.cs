using Campaigns.Worker.Delivery;

namespace Campaigns.Worker.Sending;

/// <summary>
/// Runs on each group of claimed messages once they are admitted and before any of their provider
/// calls starts. Throwing fails the batch: its messages are not sent, and are handed back without an attempt.
/// Registered only where something needs it (<see cref="SenderRegistration"/>), so the hot path
/// otherwise pays nothing.
/// </summary>
public interface IBeforeSendHook
{
    Task BeforeSendAsync(IReadOnlyList<ClaimedMessage> messages, CancellationToken cancellationToken);
}

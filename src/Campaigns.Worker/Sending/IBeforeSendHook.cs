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

    /// <summary>
    /// Messages this hook ran for that were handed back without a call: they waited for a free slot (claimed ahead)
    /// when the worker began to stop or the batch failed. They go again later under the same attempt.
    /// </summary>
    Task HandedBackAsync(IReadOnlyList<ClaimedMessage> messages) => Task.CompletedTask;
}

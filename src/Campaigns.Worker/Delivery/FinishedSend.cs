using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// A claim done with, waiting to be written with its batch by the <see cref="OutcomeFlusher"/>: a
/// finished provider call, or (<see cref="Result"/> null) a claim handed back without one.
/// </summary>
public readonly record struct FinishedSend(ClaimedMessage Message, SendResult? Result)
{
    public static FinishedSend HandedBack(ClaimedMessage message) => new(message, null);
}

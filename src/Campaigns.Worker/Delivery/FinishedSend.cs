using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Delivery;

/// <summary>A finished provider call, waiting to be written with its batch by the <see cref="OutcomeFlusher"/>.</summary>
public readonly record struct FinishedSend(ClaimedMessage Message, SendResult Result);

using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Delivery;

/// <summary>A finished provider call, waiting to be written with its batch.</summary>
public readonly record struct SendOutcome(ClaimedMessage Message, SendResult Result);

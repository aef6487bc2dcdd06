namespace Campaigns.Api.Webhooks;

/// <summary>A message a recipient sent us, as <c>inbound_messages</c> stores it; phones in E.164.</summary>
public sealed record InboundMessage(string ProviderMessageId, string Channel, string From, string? To, string Body);

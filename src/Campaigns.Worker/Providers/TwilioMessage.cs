namespace Campaigns.Worker.Providers;

/// <summary>One message for Twilio.</summary>
/// <param name="Channel"><c>sms</c> or <c>whatsapp</c> (Programmable Messaging carries both).</param>
/// <param name="Phone">The recipient in E.164.</param>
/// <param name="IdempotencyKey">Rides on the status callback URL so receipts can be deduplicated per message.</param>
/// <param name="ValidFor">How long the message stays valid: sent as ValidityPeriod (whole seconds, 1 to 36,000).</param>
public sealed record TwilioMessage(string Channel, string Phone, string Body, string IdempotencyKey, TimeSpan? ValidFor = null);

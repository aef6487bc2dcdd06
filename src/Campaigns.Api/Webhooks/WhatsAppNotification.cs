namespace Campaigns.Api.Webhooks;

/// <summary>
/// The part of a WhatsApp Cloud API webhook notification this side reads (members in snake_case like
/// everything else; the rest is ignored): <c>entry[].changes[].value</c> with <c>statuses[]</c> (receipts)
/// and <c>messages[]</c> (inbound).
/// </summary>
public sealed record WhatsAppNotification(string? Object, IReadOnlyList<WhatsAppEntry>? Entry);

public sealed record WhatsAppEntry(string? Id, IReadOnlyList<WhatsAppChange>? Changes);

public sealed record WhatsAppChange(string? Field, WhatsAppValue? Value);

public sealed record WhatsAppValue(
    string? MessagingProduct, WhatsAppMetadata? Metadata, IReadOnlyList<WhatsAppStatus>? Statuses, IReadOnlyList<WhatsAppMessage>? Messages);

/// <summary>The business number the notification is about; <c>display_phone_number</c> comes without <c>+</c>.</summary>
public sealed record WhatsAppMetadata(string? DisplayPhoneNumber, string? PhoneNumberId);

/// <summary>A receipt: <c>timestamp</c> is Unix seconds as a string; <c>errors</c> come with <c>failed</c>.</summary>
public sealed record WhatsAppStatus(string? Id, string? Status, string? Timestamp, string? RecipientId, IReadOnlyList<WhatsAppError>? Errors);

public sealed record WhatsAppError(long? Code, string? Title);

/// <summary>An incoming message; its text is in <c>text.body</c>, or a tapped button's in <c>button.text</c> or <c>interactive</c>.</summary>
public sealed record WhatsAppMessage(
    string? From, string? Id, string? Timestamp, string? Type, WhatsAppText? Text, WhatsAppButton? Button, WhatsAppInteractive? Interactive);

public sealed record WhatsAppText(string? Body);

public sealed record WhatsAppButton(string? Text);

public sealed record WhatsAppInteractive(WhatsAppReply? ButtonReply, WhatsAppReply? ListReply);

public sealed record WhatsAppReply(string? Id, string? Title);

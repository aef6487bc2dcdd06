using Campaigns.Api.Validation;
using Campaigns.Core.Domain;

namespace Campaigns.Api.Webhooks;

/// <summary>
/// A WhatsApp Cloud API incoming message as an inbound message: its text, or the text of the button or
/// list item tapped. Numbers come international without <c>+</c>; stored in E.164.
/// </summary>
public static class WhatsAppInbound
{
    /// <returns>The message; null when a field is missing (then in <paramref name="errors"/>) or it carries no text (media, reactions, locations).</returns>
    public static InboundMessage? Map(WhatsAppMessage message, WhatsAppMetadata? metadata, string at, ValidationErrors errors)
    {
        var id = WhatsAppReceipts.Required(message.Id, $"{at}.id", errors);
        var from = WhatsAppReceipts.Required(message.From, $"{at}.from", errors);
        var text = message.Text?.Body ?? message.Button?.Text ?? message.Interactive?.ButtonReply?.Title ?? message.Interactive?.ListReply?.Title;
        if (id is null || from is null || text is null)
        {
            return null;
        }
        return new InboundMessage(id, Channel.WhatsApp, E164(from), metadata?.DisplayPhoneNumber is { Length: > 0 } to ? E164(to) : null, text);
    }

    // Meta gives digits only (a display number may come formatted): the digits, after a +.
    private static string E164(string number) => "+" + string.Concat(number.Where(char.IsAsciiDigit));
}

using Campaigns.Api.Customers;
using Campaigns.Core.Domain;
using Campaigns.Core.Links;
using Campaigns.Core.Templates;

namespace Campaigns.Api.Validation;

/// <summary>
/// Holds a template's longest possible rendering, each placeholder at its field's longest value, to its
/// channel's limit (api.md, "Rendered length"): whatever the customers hold, no message runs to a hundred
/// segments and no send copies gigabytes of text.
/// </summary>
public static class RenderedLength
{
    /// <summary>A WhatsApp message body, in code points: the template's own limit too.</summary>
    public const int MaxWhatsAppCodePoints = CampaignRules.MaxWhatsAppTemplateLength;

    // Sound, not typical: a name, location or product may hold any character, so its longest value is that
    // many code points outside the BMP (an emoji: two UTF-16 units) and the message goes as UCS-2. No other
    // value costs more segments: GSM-7 costs at most two septets a character (€, {) and a part carries 153
    // septets against 67 UTF-16 units. A phone is E.164, '+' and digits, GSM-7 in any message.
    private static readonly TemplateFields Longest = new(
        FirstName: Astral(MaxLength(TemplateField.FirstName)),
        LastName: Astral(MaxLength(TemplateField.LastName)),
        Location: Astral(MaxLength(TemplateField.Location)),
        PreferredProduct: Astral(MaxLength(TemplateField.PreferredProduct)),
        Phone: "+" + new string('9', MaxLength(TemplateField.Phone) - 1),
        RecommendedProduct: Astral(MaxLength(TemplateField.RecommendedProduct)));

    /// <summary>The longest value a customer field can hold, in code points (its validation rule).</summary>
    public static int MaxLength(TemplateField field) => field switch
    {
        TemplateField.FirstName => CustomerRules.MaxFirstNameLength,
        TemplateField.LastName => CustomerRules.MaxLastNameLength,
        TemplateField.Location => CustomerRules.MaxLocationLength,
        TemplateField.PreferredProduct => CustomerRules.MaxPreferredProductLength,
        // Some customer's preferred_product.
        TemplateField.RecommendedProduct => CustomerRules.MaxPreferredProductLength,
        TemplateField.Phone => PhoneNormalizer.MaxNormalizedLength,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a template field"),
    };

    /// <summary>Null when every rendering fits the channel, else a message giving the worst case and the limit.</summary>
    /// <param name="trackedLinkPrefix">
    /// With link tracking, what precedes every code (<c>{Links:BaseUrl}/l/</c>): each URL of the template's text then
    /// counts as a short link, whatever its own length (see <see cref="TrackedLinks.ShortenTemplateText"/>).
    /// </param>
    public static string? Problem(string field, MessageTemplate template, string channel, int maxSmsSegments, string? trackedLinkPrefix = null)
    {
        if (trackedLinkPrefix is not null
            && MessageTemplate.TryParse(TrackedLinks.ShortenTemplateText(template.Text, trackedLinkPrefix), out var shortened, out _))
        {
            template = shortened;
        }
        var longest = template.Render(Longest);
        if (channel == Channel.Sms)
        {
            var sms = SmsSegments.Count(longest);
            return sms.Segments <= maxSmsSegments ? null
                : $"{field} can render {sms.Segments:N0} SMS segments ({sms.Characters:N0} {sms.Encoding} units){WhenLongest(template)}; "
                  + $"the limit is {maxSmsSegments:N0} segments: {Remedy(template)}";
        }
        var codePoints = TextRules.CodePoints(longest);
        return codePoints <= MaxWhatsAppCodePoints ? null
            : $"{field} can render {codePoints:N0} characters{WhenLongest(template)}; "
              + $"the limit is {MaxWhatsAppCodePoints:N0} characters: {Remedy(template)}";
    }

    /// <summary>Which values make the worst case, e.g. <c>({first_name} 100 characters, {preferred_product} 200)</c>.</summary>
    private static string WhenLongest(MessageTemplate template) =>
        template.UsedFields.Count == 0 ? ""
        : " when each placeholder holds the longest value its field allows ("
          + string.Join(", ", template.UsedFields.Select((f, i) => $"{{{TemplateFieldNames.NameOf(f)}}} {MaxLength(f)}{(i == 0 ? " characters" : "")}"))
          + ")";

    private static string Remedy(MessageTemplate template) =>
        template.UsedFields.Count == 0 ? "shorten the text" : "shorten the text or use fewer placeholders";

    private static string Astral(int codePoints) => string.Concat(Enumerable.Repeat("😀", codePoints));
}

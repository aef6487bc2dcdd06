using System.Text;
using Campaigns.Core.Templates;
using Microsoft.Extensions.AI;

namespace Campaigns.Core.Personalization;

/// <summary>
/// What the model is asked: the rules it must keep (the same ones <see cref="PersonalizationGuardrails"/> checks) as the
/// system message; the plain rendering, the customer's fields (never the phone) and the campaign's instructions as the user's.
/// </summary>
public static class PersonalizationPrompt
{
    public static IReadOnlyList<ChatMessage> For(string plain, in TemplateFields fields, string channel, CampaignPersonalization settings)
    {
        var limit = PersonalizationGuardrails.LimitFor(plain, channel, settings.MaxLength);
        var rules = new StringBuilder()
            .Append("You rewrite one marketing ").Append(channel == Domain.Channel.WhatsApp ? "WhatsApp" : "SMS")
            .AppendLine(" message for one customer, following the campaign's instructions.")
            .AppendLine("Answer with the message text only: no quotes, no explanation.")
            .Append("At most ").Append(limit).AppendLine(" characters.")
            .AppendLine("Write the customer's details as text; never leave a {placeholder} in braces.");
        if (plain.Contains("http://", StringComparison.OrdinalIgnoreCase) || plain.Contains("https://", StringComparison.OrdinalIgnoreCase))
        {
            // A tracked link's code counts the clicks: it must reach the customer unchanged.
            rules.AppendLine("Keep every link exactly as written.");
        }
        if (OptOutSentence.Find(plain) is { } optOut)
        {
            rules.Append("Keep this sentence exactly as written, at the end: ").AppendLine(optOut);
        }

        var request = new StringBuilder()
            .AppendLine("Message:").AppendLine(plain)
            .AppendLine("Customer:");
        foreach (var (name, value) in CustomerFields(fields))
        {
            request.Append("- ").Append(name).Append(": ").AppendLine(value);
        }
        request.AppendLine("Instructions:").Append(settings.Instructions);
        return [new ChatMessage(ChatRole.System, rules.ToString()), new ChatMessage(ChatRole.User, request.ToString())];
    }

    private static IEnumerable<(string Name, string Value)> CustomerFields(TemplateFields fields)
    {
        (string, string?)[] all =
        [
            (TemplateFieldNames.FirstName, fields.FirstName),
            (TemplateFieldNames.LastName, fields.LastName),
            (TemplateFieldNames.Location, fields.Location),
            (TemplateFieldNames.PreferredProduct, fields.PreferredProduct),
        ];
        return all.Where(f => !string.IsNullOrWhiteSpace(f.Item2)).Select(f => (f.Item1, f.Item2!));
    }
}

using Campaigns.Core.Domain;
using Campaigns.Core.Templates;

namespace Campaigns.Api.Validation;

/// <summary>The field rules of a campaign (api.md, "Campaigns").</summary>
public static class CampaignRules
{
    public const int MaxNameLength = 200;
    public const int MaxSmsTemplateLength = 1_600;
    public const int MaxWhatsAppTemplateLength = 4_096;

    public static int MaxTemplateLength(string channel) =>
        channel == Channel.WhatsApp ? MaxWhatsAppTemplateLength : MaxSmsTemplateLength;

    public static void CheckName(ValidationErrors errors, string? name) =>
        TextRules.CheckRequired(errors, "name", name, MaxNameLength);

    public static bool CheckChannel(ValidationErrors errors, string? channel)
    {
        if (channel is null)
        {
            errors.Add("channel", "channel is required: one of sms, whatsapp");
            return false;
        }
        if (!Channel.All.Contains(channel))
        {
            errors.Add("channel", "channel must be one of sms, whatsapp");
            return false;
        }
        return true;
    }

    /// <param name="channel">The channel the template is for, when known (its limits apply).</param>
    public static void CheckTemplate(ValidationErrors errors, string field, string? template, string? channel, TemplateOptions limits)
    {
        if (string.IsNullOrEmpty(template))
        {
            errors.Add(field, $"{field} is required");
            return;
        }
        var max = channel is null ? MaxWhatsAppTemplateLength : MaxTemplateLength(channel);
        if (TextRules.Problem(field, template, max) is { } tooLong)
        {
            errors.Add(field, tooLong);
        }
        else if (!MessageTemplate.TryParse(template, out var parsed, out var unknown))
        {
            errors.Add(field, unknown);
        }
        else if (channel is not null && RenderedLength.Problem(field, parsed, channel, limits.MaxSmsSegments) is { } rendersTooLong)
        {
            errors.Add(field, rendersTooLong);
        }
    }

    public static void CheckScheduledAt(ValidationErrors errors, DateTimeOffset? scheduledAt, TimeProvider clock)
    {
        if (scheduledAt is { } at && at <= clock.GetUtcNow())
        {
            errors.Add("scheduled_at", "scheduled_at must be in the future");
        }
    }
}

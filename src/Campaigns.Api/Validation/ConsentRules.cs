using Campaigns.Api.Customers;
using Campaigns.Core.Domain;

namespace Campaigns.Api.Validation;

/// <summary>The field rules of the suppression list and of <c>POST /inbound</c>.</summary>
public static class ConsentRules
{
    public const int MaxReasonLength = 500;
    public const int MaxInboundTextLength = 1_600;
    public const int MaxToLength = 40;

    /// <summary>A channel given is <c>sms</c> or <c>whatsapp</c>.</summary>
    public static void CheckChannel(ValidationErrors errors, string? channel, bool required)
    {
        if (channel is null)
        {
            if (required)
            {
                errors.Add("channel", "channel is required");
            }
        }
        else if (channel is not (Channel.Sms or Channel.WhatsApp))
        {
            errors.Add("channel", $"channel must be {Channel.Sms} or {Channel.WhatsApp}");
        }
    }

    /// <summary>The phone in E.164, or null after recording why not.</summary>
    public static string? CheckPhone(ValidationErrors errors, PhoneNormalizer phones, string field, string? raw)
    {
        if (raw is null)
        {
            errors.Add(field, $"{field} is required");
            return null;
        }
        if (!phones.TryNormalize(raw, out var e164))
        {
            errors.Add(field, phones.InvalidMessage);
            return null;
        }
        return e164;
    }
}

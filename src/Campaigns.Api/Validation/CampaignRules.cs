using Campaigns.Api.Contracts;
using Campaigns.Core.Domain;
using Campaigns.Core.Languages;
using Campaigns.Core.Templates;

namespace Campaigns.Api.Validation;

/// <summary>The field rules of a campaign (api.md, "Campaigns").</summary>
public static class CampaignRules
{
    public const int MaxNameLength = 200;
    public const int MaxSmsTemplateLength = 1_600;
    public const int MaxWhatsAppTemplateLength = 4_096;

    /// <summary>Meta's limit on a message template's name.</summary>
    public const int MaxWhatsAppTemplateNameLength = 512;

    /// <summary>A language code as Meta spells them (<c>en</c>, <c>en_US</c>, <c>zh_HK</c>), with room to spare.</summary>
    public const int MaxWhatsAppTemplateLanguageLength = 20;

    public const int MaxWhatsAppTemplateParameters = 100;

    public const int MaxTranslations = 20;

    public const string TranslationsDescription =
        "Language (BCP 47 primary subtag: en, sw, fr) → template, each held to base_template's rules; at most 20. A recipient "
        + "whose language has one gets it instead of base_template";

    public const string DefaultLanguageDescription = "The language of base_template (a BCP 47 primary subtag, stored lowercase); default en";

    public const string AutoTranslateDescription =
        "At the send, each recipient language without a translation gets the language model's translation of base_template "
        + "(once per language; the untranslated template when it fails); needs ConnectionStrings:ai; default false";

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
    /// <param name="trackedLinkPrefix">With link tracking, what precedes every short link's code: its URLs count at that length.</param>
    public static void CheckTemplate(ValidationErrors errors, string field, string? template, string? channel, TemplateOptions limits,
        string? trackedLinkPrefix = null)
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
        else if (channel is not null && RenderedLength.Problem(field, parsed, channel, limits.MaxSmsSegments, trackedLinkPrefix) is { } rendersTooLong)
        {
            errors.Add(field, rendersTooLong);
        }
    }

    /// <param name="channel">The campaign's channel (after the change, for an update), when known.</param>
    public static void CheckWhatsAppTemplate(ValidationErrors errors, WhatsAppTemplateRequest template, string? channel, TemplateOptions limits)
    {
        const string field = "whatsapp_template";
        if (channel is not null && channel != Channel.WhatsApp)
        {
            errors.Add(field, $"{field} is only for whatsapp campaigns; this one is {channel}");
        }
        TextRules.CheckRequired(errors, $"{field}.name", template.Name, MaxWhatsAppTemplateNameLength);
        TextRules.CheckRequired(errors, $"{field}.language", template.Language, MaxWhatsAppTemplateLanguageLength);
        if (template.Parameters is not { } parameters)
        {
            errors.Add($"{field}.parameters", $"{field}.parameters is required: the body's parameters in order, [] when it takes none");
            return;
        }
        if (parameters.Count > MaxWhatsAppTemplateParameters)
        {
            errors.Add($"{field}.parameters", $"{field}.parameters must list at most {MaxWhatsAppTemplateParameters} parameters");
            return;
        }
        for (var i = 0; i < parameters.Count; i++)
        {
            // Each is rendered per recipient like base_template, and held to the same limits.
            CheckTemplate(errors, $"{field}.parameters[{i}]", parameters[i], Channel.WhatsApp, limits);
        }
    }

    /// <summary>Null when <paramref name="value"/> is a language (its lowercase form in <paramref name="language"/>), else why not.</summary>
    public static string? LanguageProblem(string field, string? value, out string? language)
    {
        language = LanguageTag.Normalize(value);
        return language is null ? $"{field} {LanguageTag.Invalid}" : null;
    }

    /// <summary>Checks a given language; its stored (lowercase) form, or null when it is invalid.</summary>
    public static string? CheckLanguage(ValidationErrors errors, string field, string? value)
    {
        if (LanguageProblem(field, value, out var language) is { } problem)
        {
            errors.Add(field, problem);
        }
        return language;
    }

    /// <summary>The field of the campaign's translation into <paramref name="language"/>: <c>translations.fr</c>.</summary>
    public static string TranslationField(string language) => $"translations.{language}";

    /// <summary>
    /// Checks each translation like <c>base_template</c> (channel limits and tracking included) under the field
    /// <c>translations.&lt;language&gt;</c>; the translations as stored (keys lowercase), or null when any is invalid.
    /// </summary>
    public static Dictionary<string, string>? CheckTranslations(ValidationErrors errors, IReadOnlyDictionary<string, string>? translations,
        string? channel, TemplateOptions limits, string? trackedLinkPrefix)
    {
        if (translations is null)
        {
            return null;
        }
        if (translations.Count > MaxTranslations)
        {
            errors.Add("translations", $"translations may hold at most {MaxTranslations} languages");
            return null;
        }
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        var before = errors.Count;
        foreach (var (key, template) in translations)
        {
            var field = TranslationField(key);
            if (CheckLanguage(errors, field, key) is not { } language)
            {
                continue;
            }
            if (!stored.TryAdd(language, template))
            {
                errors.Add(field, $"{field} repeats the language {language}");
                continue;
            }
            CheckTemplate(errors, field, template, channel, limits, trackedLinkPrefix);
        }
        return errors.Count == before ? stored : null;
    }

    public static void CheckScheduledAt(ValidationErrors errors, DateTimeOffset? scheduledAt, TimeProvider clock)
    {
        if (scheduledAt is { } at && at <= clock.GetUtcNow())
        {
            errors.Add("scheduled_at", "scheduled_at must be in the future");
        }
    }
}

using Campaigns.Core.Personalization;
using Campaigns.Core.Templates;
using Microsoft.Extensions.Logging;

namespace Campaigns.Core.Translation;

/// <summary>
/// Translates a campaign's template with the language model of AI personalization (<see cref="PersonalizationModel"/>): one
/// call per language, through <see cref="ModelCalls"/> (bounded in time and in calls at once, with personalization's). The
/// answer must be a template with exactly the source's placeholders and pass <paramref name="problem"/> (the caller's
/// template rules); otherwise null, the reason counted and logged. Only the caller's own cancellation escapes.
/// </summary>
public sealed partial class TemplateTranslator(
    PersonalizationModel model, PersonalizationMetrics metrics, ModelCalls calls, ILogger<TemplateTranslator> logger)
{
    /// <param name="problem">The template rules the translation is held to: a problem, or null when it keeps them all.</param>
    /// <returns>The translated template; null when the untranslated one must be used.</returns>
    public async Task<string?> TranslateAsync(string template, string sourceLanguage, string targetLanguage, string channel,
        Func<string, string?> problem, long campaignId, CancellationToken cancellationToken)
    {
        if (model.Client is not { } client)
        {
            return null;
        }
        metrics.Called(channel);
        var answer = await calls.AskAsync(client, TranslationPrompt.For(template, sourceLanguage, targetLanguage), cancellationToken);
        if (answer.Error is { } error)
        {
            Log.ModelFailed(logger, error, campaignId, targetLanguage);
        }
        var reason = answer.Text is { } text
            ? Broken(text, template, problem)
            : answer.TimedOut ? TranslationFallback.Timeout : TranslationFallback.Error;
        if (reason is null)
        {
            return answer.Text;
        }
        metrics.TranslationFellBack(channel, reason);
        Log.FellBack(logger, reason, campaignId, targetLanguage);
        return null;
    }

    /// <summary>Why <paramref name="translated"/> cannot stand for <paramref name="source"/>; null when it can.</summary>
    public static string? Broken(string translated, string source, Func<string, string?> problem)
    {
        if (translated.Length == 0)
        {
            return TranslationFallback.Empty;
        }
        if (!MessageTemplate.TryParse(translated, out var parsed, out _) || !SamePlaceholders(parsed, MessageTemplate.Parse(source)))
        {
            return TranslationFallback.Placeholder;
        }
        return problem(translated) is null ? null : TranslationFallback.Invalid;
    }

    private static bool SamePlaceholders(MessageTemplate translated, MessageTemplate source) =>
        translated.UsedFields.Order().SequenceEqual(source.UsedFields.Order());

    private static partial class Log
    {
        [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "The language model failed to translate campaign {CampaignId} into {Language}")]
        public static partial void ModelFailed(ILogger logger, Exception exception, long campaignId, string language);

        [LoggerMessage(EventId = 911, Level = LogLevel.Information,
            Message = "Auto-translation of campaign {CampaignId} into {Language} fell back to the untranslated template ({Reason})")]
        public static partial void FellBack(ILogger logger, string reason, long campaignId, string language);
    }
}

using Campaigns.Core.Personalization;
using Campaigns.Core.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Campaigns.Core.Translation;

/// <summary>
/// Translates a campaign's template with the language model of AI personalization (<see cref="PersonalizationModel"/>): one
/// call per language, bounded by <c>Personalization:Timeout</c>, at most <c>Personalization:Concurrency</c> at once. The
/// answer must be a template with exactly the source's placeholders and pass <paramref name="problem"/> (the caller's
/// template rules); otherwise null, the reason counted and logged. Only the caller's own cancellation escapes.
/// </summary>
public sealed partial class TemplateTranslator(
    PersonalizationModel model, PersonalizationMetrics metrics, IOptions<PersonalizationOptions> options, ILogger<TemplateTranslator> logger)
{
    private readonly PersonalizationOptions _options = options.Value;
    private readonly SemaphoreSlim _calls = new(options.Value.Concurrency, options.Value.Concurrency);

    /// <param name="problem">The template rules the translation is held to: a problem, or null when it keeps them all.</param>
    /// <returns>The translated template; null when the untranslated one must be used.</returns>
    public async Task<string?> TranslateAsync(string template, string sourceLanguage, string targetLanguage, string channel,
        Func<string, string?> problem, long campaignId, CancellationToken cancellationToken)
    {
        if (model.Client is not { } client)
        {
            return null;
        }
        await _calls.WaitAsync(cancellationToken);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string reason;
        try
        {
            call.CancelAfter(_options.Timeout);
            metrics.Called(channel);
            var response = await client.GetResponseAsync(TranslationPrompt.For(template, sourceLanguage, targetLanguage),
                cancellationToken: call.Token);
            var text = response.Text.Trim();
            reason = Broken(text, template, problem) ?? "";
            if (reason.Length == 0)
            {
                return text;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Past the timeout, whatever the client threw is the timeout's doing.
            reason = call.IsCancellationRequested ? TranslationFallback.Timeout : TranslationFallback.Error;
            if (reason == TranslationFallback.Error)
            {
                Log.ModelFailed(logger, e, campaignId, targetLanguage);
            }
        }
        finally
        {
            _calls.Release();
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

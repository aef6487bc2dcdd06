using Campaigns.Core.Templates;
using Microsoft.Extensions.Logging;

namespace Campaigns.Core.Personalization;

/// <summary>
/// Writes one message with the language model (through <see cref="ModelCalls"/>: bounded in time and in calls at once);
/// a failed, late or rule-breaking answer (<see cref="PersonalizationGuardrails"/>)
/// gives the plain rendering, with its reason logged and counted. Only the caller's own cancellation escapes.
/// </summary>
public sealed partial class MessagePersonalizer(
    PersonalizationModel model, PersonalizationMetrics metrics, ModelCalls calls, ILogger<MessagePersonalizer> logger)
{
    /// <param name="plain">The message rendered from its template: sent when the model's text cannot be.</param>
    /// <param name="messageId">For the log; null for a preview.</param>
    public async Task<PersonalizedText> WriteAsync(string plain, TemplateFields fields, string channel, CampaignPersonalization settings,
        long? messageId, CancellationToken cancellationToken)
    {
        if (model.Client is not { } client)
        {
            return FallBack(plain, channel, PersonalizationFallback.NotConfigured, messageId);
        }
        metrics.Called(channel);
        var answer = await calls.AskAsync(client, PersonalizationPrompt.For(plain, fields, channel, settings), cancellationToken);
        if (answer.Text is not { } text)
        {
            if (answer.Error is { } error)
            {
                Log.ModelFailed(logger, error, messageId);
            }
            return FallBack(plain, channel, answer.TimedOut ? PersonalizationFallback.Timeout : PersonalizationFallback.Error, messageId);
        }
        return PersonalizationGuardrails.Broken(text, plain, channel, settings.MaxLength) is { } broken
            ? FallBack(plain, channel, broken, messageId)
            : PersonalizedText.Ai(text);
    }

    /// <summary>The plain rendering, counted and logged with its reason (the budget's fallback too).</summary>
    public PersonalizedText FallBack(string plain, string channel, string reason, long? messageId)
    {
        metrics.FellBack(channel, reason);
        Log.FellBack(logger, reason, messageId, channel);
        return PersonalizedText.Fallback(plain, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "The language model failed for message {MessageId}")]
        public static partial void ModelFailed(ILogger logger, Exception exception, long? messageId);

        [LoggerMessage(EventId = 901, Level = LogLevel.Information,
            Message = "Personalization fell back to the plain rendering ({Reason}) for message {MessageId} on {Channel}")]
        public static partial void FellBack(ILogger logger, string reason, long? messageId, string channel);
    }
}

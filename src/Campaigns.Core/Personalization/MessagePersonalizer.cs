using Campaigns.Core.Templates;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Campaigns.Core.Personalization;

/// <summary>
/// Writes one message with the language model: at most <c>Personalization:Concurrency</c> calls at once in this process,
/// each bounded by <c>Personalization:Timeout</c>; a failed, late or rule-breaking answer (<see cref="PersonalizationGuardrails"/>)
/// gives the plain rendering, with its reason logged and counted. Only the caller's own cancellation escapes.
/// </summary>
public sealed partial class MessagePersonalizer(
    PersonalizationModel model, PersonalizationMetrics metrics, IOptions<PersonalizationOptions> options, ILogger<MessagePersonalizer> logger)
{
    private readonly PersonalizationOptions _options = options.Value;
    private readonly SemaphoreSlim _calls = new(options.Value.Concurrency, options.Value.Concurrency);

    /// <param name="plain">The message rendered from its template: sent when the model's text cannot be.</param>
    /// <param name="messageId">For the log; null for a preview.</param>
    public async Task<PersonalizedText> WriteAsync(string plain, TemplateFields fields, string channel, CampaignPersonalization settings,
        long? messageId, CancellationToken cancellationToken)
    {
        if (model.Client is not { } client)
        {
            return FallBack(plain, channel, PersonalizationFallback.NotConfigured, messageId);
        }
        var prompt = PersonalizationPrompt.For(plain, fields, channel, settings);
        await _calls.WaitAsync(cancellationToken);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            call.CancelAfter(_options.Timeout);
            metrics.Called(channel);
            var response = await client.GetResponseAsync(prompt, cancellationToken: call.Token);
            var text = response.Text.Trim();
            return PersonalizationGuardrails.Broken(text, plain, channel, settings.MaxLength) is { } broken
                ? FallBack(plain, channel, broken, messageId)
                : PersonalizedText.Ai(text);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Past the timeout, whatever the client threw is the timeout's doing.
            if (call.IsCancellationRequested)
            {
                return FallBack(plain, channel, PersonalizationFallback.Timeout, messageId);
            }
            Log.ModelFailed(logger, e, messageId);
            return FallBack(plain, channel, PersonalizationFallback.Error, messageId);
        }
        finally
        {
            _calls.Release();
        }
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

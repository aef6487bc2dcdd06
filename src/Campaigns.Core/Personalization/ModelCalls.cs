using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Campaigns.Core.Personalization;

/// <summary>
/// The one way this process asks the language model (personalization and auto_translate alike): at most
/// <c>Personalization:Concurrency</c> calls at once, each bounded by <c>Personalization:Timeout</c>. A failed or late call
/// is an answer too (<see cref="ModelAnswer"/>); only the caller's own cancellation escapes.
/// </summary>
public sealed class ModelCalls(IOptions<PersonalizationOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.Timeout;
    private readonly SemaphoreSlim _calls = new(options.Value.Concurrency, options.Value.Concurrency);

    public async Task<ModelAnswer> AskAsync(IChatClient client, IReadOnlyList<ChatMessage> prompt, CancellationToken cancellationToken)
    {
        await _calls.WaitAsync(cancellationToken);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            call.CancelAfter(_timeout);
            var response = await client.GetResponseAsync(prompt, cancellationToken: call.Token);
            return new ModelAnswer(response.Text.Trim(), TimedOut: false, Error: null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Past the timeout, whatever the client threw is the timeout's doing.
            return call.IsCancellationRequested ? new ModelAnswer(null, TimedOut: true, Error: null) : new ModelAnswer(null, TimedOut: false, e);
        }
        finally
        {
            _calls.Release();
        }
    }
}

/// <summary>The model's trimmed text; or null, and whether the call was too late or what it threw.</summary>
public sealed record ModelAnswer(string? Text, bool TimedOut, Exception? Error);

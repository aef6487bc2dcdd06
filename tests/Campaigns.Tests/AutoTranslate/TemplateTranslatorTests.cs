using System.Diagnostics.Metrics;
using Campaigns.Core.Personalization;
using Campaigns.Core.Translation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Campaigns.Tests.AutoTranslate;

/// <summary>
/// The translator alone, with a model answering in process: which answers stand for a template, and the
/// <c>campaigns.translation.fallbacks</c> metric counting the languages left untranslated, by reason.
/// </summary>
public sealed class TemplateTranslatorTests
{
    private const string Source = "Hi {first_name}, {preferred_product} is 20% off.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Habari {first_name}, {preferred_product} ni punguzo la 20%.", null)]
    [InlineData("{preferred_product} ni punguzo la 20%, {first_name}.", null)] // the order may change
    [InlineData("", TranslationFallback.Empty)]
    [InlineData("Habari, {preferred_product} ni punguzo la 20%.", TranslationFallback.Placeholder)] // one dropped
    [InlineData("Habari {first_name} {location}, {preferred_product}.", TranslationFallback.Placeholder)] // one added
    [InlineData("Habari {jina}, {preferred_product}.", TranslationFallback.Placeholder)] // not a template
    [InlineData("Habari {first_name}, {preferred_product} TOO LONG", TranslationFallback.Invalid)] // the caller's rules
    public void An_answer_stands_for_the_template_only_with_its_placeholders_and_rules(string answer, string? broken)
    {
        Assert.Equal(broken, TemplateTranslator.Broken(answer, Source, text => text.Contains("TOO LONG", StringComparison.Ordinal) ? "too long" : null));
    }

    [Fact]
    public async Task A_good_answer_is_the_translation_and_a_failure_is_null_counted_by_reason()
    {
        var answers = new Dictionary<string, Func<CancellationToken, Task<string>>>
        {
            ["sw"] = _ => Task.FromResult("Habari {first_name}, {preferred_product} ni punguzo la 20%."),
            ["de"] = _ => Task.FromResult("Hallo, 20% Rabatt."),
            ["it"] = _ => throw new HttpRequestException("the model is down"),
            ["pt"] = async token =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return "never";
            },
        };
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var fallbacks = new List<(string Channel, string Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "campaigns.translation.fallbacks")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        // This translator's alone: an API in this process (another test's) counts on a channel of its own.
        var channel = $"unit-{Guid.NewGuid():N}";
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            if (Tag(tags, "channel") as string == channel)
            {
                lock (fallbacks)
                {
                    fallbacks.Add((channel, (string)Tag(tags, "reason")!));
                }
            }
        });
        listener.Start();
        var translator = new TemplateTranslator(new PersonalizationModel(new AnsweringModel(answers)),
            new PersonalizationMetrics(services.GetRequiredService<IMeterFactory>()), new ModelCalls(Options.Create(new PersonalizationOptions { Timeout = TimeSpan.FromMilliseconds(200) })),
            NullLogger<TemplateTranslator>.Instance);

        var results = new List<string?>();
        foreach (var language in new[] { "sw", "de", "it", "pt" })
        {
            results.Add(await translator.TranslateAsync(Source, "en", language, channel, _ => null, campaignId: 1, Ct));
        }

        Assert.Equal(["Habari {first_name}, {preferred_product} ni punguzo la 20%.", null, null, null], results);
        Assert.Equal([(channel, TranslationFallback.Placeholder), (channel, TranslationFallback.Error),
            (channel, TranslationFallback.Timeout)], fallbacks);
    }

    private static object? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value;
            }
        }
        return null;
    }

    /// <summary>A model that answers by the target language of the prompt.</summary>
    internal sealed class AnsweringModel(Dictionary<string, Func<CancellationToken, Task<string>>> answers) : IChatClient
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _asked = new();

        /// <summary>How many times the model was asked for <paramref name="language"/>.</summary>
        public int Calls(string language) => _asked.Count(l => l == language);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var prompt = string.Join("\n", messages.Select(m => m.Text));
            var language = answers.Keys.Single(l => prompt.Contains($"{TranslationPrompt.TargetLabel}{l}\n", StringComparison.Ordinal));
            _asked.Enqueue(language);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, await answers[language](cancellationToken)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// A language model on a local port speaking OpenAI's chat completions wire format (<c>POST /v1/chat/completions</c>,
/// with <c>usage</c> token counts), so the API and worker run their real client code over HTTP. Its answer is
/// deterministic, chosen by a marker in the campaign's instructions (<see cref="Behaviour"/>): a good text
/// (<see cref="GoodText"/>), or one that breaks a guardrail, comes too late, or fails. A translation prompt (auto_translate)
/// is answered by its target language (<see cref="Translations"/>).
/// </summary>
public sealed class FakeLanguageModel : IAsyncDisposable
{
    public const string Model = "fake-campaigns-model";

    /// <summary>Markers to put in a campaign's instructions: the model answers accordingly.</summary>
    public static class Behaviour
    {
        public const string Good = "[model:good]";
        public const string TooLong = "[model:too-long]";
        public const string Placeholder = "[model:placeholder]";
        public const string Empty = "[model:empty]";
        public const string DropOptOut = "[model:drop-opt-out]";
        /// <summary>Answers only after a minute: past any personalization timeout.</summary>
        public const string Slow = "[model:slow]";
        /// <summary>HTTP 500.</summary>
        public const string Error = "[model:error]";
    }

    /// <summary>How the model translates a template: by the target language asked for.</summary>
    public static class Translations
    {
        /// <summary>Into this language the model drops every placeholder (a translation the send must refuse).</summary>
        public const string DropsPlaceholders = "de";
        /// <summary>Into this language the model fails (HTTP 500).</summary>
        public const string Fails = "it";

        /// <summary>The model's translation of <paramref name="template"/> into any other language.</summary>
        public static string Of(string template, string language) => $"[{language}] {template}";
    }

    private const string TargetLabel = "Target language: ";
    private const string TemplateLabel = "Template:\n";

    private static readonly TimeSpan SlowAnswer = TimeSpan.FromMinutes(1);

    /// <summary>The graph's <c>Personalization:Timeout</c>: generous for a model on this machine, far below <see cref="SlowAnswer"/>.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly ConcurrentQueue<string> _prompts = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>What the API and worker are given as <c>ConnectionStrings:ai</c>.</summary>
    public string ConnectionString => $"Endpoint={BaseUrl}/v1;Key=test-key;Model={Model};Provider=openai";

    /// <summary>The model's good answer for a message whose plain rendering is <paramref name="plain"/>.</summary>
    public static string GoodText(string plain) => $"Personal note: {plain}";

    /// <summary>How many requests asked about a prompt containing <paramref name="text"/> (a campaign's unique instructions).</summary>
    public int CallsMentioning(string text) => _prompts.Count(p => p.Contains(text, StringComparison.Ordinal));

    /// <summary>How many translation requests into <paramref name="language"/> mention <paramref name="text"/> (a campaign's unique template).</summary>
    public int TranslationsInto(string text, string language) =>
        _prompts.Count(p => p.Contains(text, StringComparison.Ordinal) && p.Contains($"{TargetLabel}{language}\n", StringComparison.Ordinal));

    /// <summary>The prompts (system and user text) that mention <paramref name="text"/>.</summary>
    public IReadOnlyList<string> PromptsMentioning(string text) => [.. _prompts.Where(p => p.Contains(text, StringComparison.Ordinal))];

    /// <summary>
    /// The AppHost setting that makes this the graph's model (<c>ConnectionStrings:ai</c>: the AppHost references it from
    /// the API and the worker).
    /// </summary>
    public string AppHostArgument => $"ConnectionStrings:ai={ConnectionString}";

    /// <summary>The graph's API and worker give up on the model after <see cref="Timeout"/>.</summary>
    public static void LimitCalls(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var service in new[] { "api", "worker" })
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("Personalization__Timeout", Timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static async Task<FakeLanguageModel> StartAsync(CancellationToken cancellationToken)
    {
        var model = new FakeLanguageModel();
        (model._app, model.BaseUrl) = await LocalHttpServer.StartAsync(app => app.MapPost("/v1/chat/completions", model.AnswerAsync), cancellationToken);
        return model;
    }

    private async Task<IResult> AnswerAsync(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        var messages = body?["messages"]?.AsArray().Select(m => TextOf(m?["content"])).ToArray() ?? [];
        var prompt = string.Join("\n", messages);
        _prompts.Enqueue(prompt);
        var plain = PlainOf(prompt);
        string answer;
        if (TranslationOf(prompt) is var (language, template))
        {
            if (language == Translations.Fails)
            {
                return Results.Json(new { error = new { message = "the model is down", type = "server_error" } }, statusCode: 500);
            }
            answer = language == Translations.DropsPlaceholders
                ? Translations.Of(Regex.Replace(template, @"\{[a-z_]+\}", ""), language)
                : Translations.Of(template, language);
        }
        else if (prompt.Contains(Behaviour.Error, StringComparison.Ordinal))
        {
            return Results.Json(new { error = new { message = "the model is down", type = "server_error" } }, statusCode: 500);
        }
        else if (prompt.Contains(Behaviour.Slow, StringComparison.Ordinal))
        {
            await Task.Delay(SlowAnswer, request.HttpContext.RequestAborted);
            answer = GoodText(plain);
        }
        else if (prompt.Contains(Behaviour.TooLong, StringComparison.Ordinal))
        {
            answer = plain + " " + string.Concat(Enumerable.Repeat("So much more to say. ", 60));
        }
        else if (prompt.Contains(Behaviour.Placeholder, StringComparison.Ordinal))
        {
            answer = "Hi {first_name}! " + plain;
        }
        else if (prompt.Contains(Behaviour.Empty, StringComparison.Ordinal))
        {
            answer = "  ";
        }
        else if (prompt.Contains(Behaviour.DropOptOut, StringComparison.Ordinal))
        {
            answer = "A short personal note, nothing else.";
        }
        else
        {
            answer = GoodText(plain);
        }
        var promptTokens = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var completionTokens = answer.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return Results.Json(new JsonObject
        {
            ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            },
        });
    }

    /// <summary>A message's content: a string, or parts of which the text ones count.</summary>
    private static string TextOf(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };

    /// <summary>A translation prompt's target language and template (after "Template:"); null for another prompt.</summary>
    private static (string Language, string Template)? TranslationOf(string prompt)
    {
        var from = prompt.IndexOf(TargetLabel, StringComparison.Ordinal);
        var template = prompt.IndexOf(TemplateLabel, StringComparison.Ordinal);
        if (from < 0 || template < 0)
        {
            return null;
        }
        from += TargetLabel.Length;
        return (prompt[from..prompt.IndexOf('\n', from)], prompt[(template + TemplateLabel.Length)..]);
    }

    /// <summary>The plain rendering as the prompt gives it: the lines between "Message:" and "Customer:".</summary>
    private static string PlainOf(string prompt)
    {
        const string start = "Message:\n";
        const string end = "\nCustomer:";
        var from = prompt.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : prompt.IndexOf(end, from, StringComparison.Ordinal);
        return from < 0 || to < 0 ? "" : prompt[(from + start.Length)..to];
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}

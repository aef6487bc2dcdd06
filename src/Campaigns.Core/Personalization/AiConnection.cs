using System.Data.Common;

namespace Campaigns.Core.Personalization;

/// <summary>
/// The language model behind <c>ConnectionStrings:ai</c>:
/// <c>Endpoint=http://host:port/v1;Key=…;Model=gpt-4o-mini;Provider=openai</c> (any OpenAI-compatible endpoint), or
/// <c>Endpoint=http://localhost:11434;Model=llama3.2;Provider=ollama</c>. <c>Provider</c> defaults to <c>openai</c>;
/// <c>Key</c> is optional (a local server may take none).
/// </summary>
public sealed record AiConnection(Uri Endpoint, string Model, string Provider, string? Key)
{
    public const string Name = "ai";
    public const string OpenAi = "openai";
    public const string Ollama = "ollama";

    /// <summary>Null when the text is empty (no model configured).</summary>
    /// <exception cref="FormatException">A connection string that names no usable endpoint, model or provider.</exception>
    public static AiConnection? Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Get(string key) => parts.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } text ? text : null;

        var endpoint = Get("Endpoint");
        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new FormatException("ConnectionStrings:ai needs Endpoint=<http(s) URL>");
        }
        var model = Get("Model") ?? throw new FormatException("ConnectionStrings:ai needs Model=<model name>");
        var provider = (Get("Provider") ?? OpenAi).ToLowerInvariant();
        if (provider is not (OpenAi or Ollama))
        {
            throw new FormatException($"ConnectionStrings:ai: Provider must be {OpenAi} or {Ollama}, not {provider}");
        }
        return new AiConnection(uri, model, provider, Get("Key"));
    }
}

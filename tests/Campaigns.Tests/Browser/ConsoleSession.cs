using Campaigns.Tests.Infrastructure;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;

namespace Campaigns.Tests.Browser;

/// <summary>
/// One browser tab on the console of the shared graph: its own context (so its own sessionStorage),
/// screenshots saved as test artifacts, and the page's uncaught script errors and Content-Security-Policy
/// violations (Chromium reports them on the console) collected.
/// </summary>
public sealed class ConsoleSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _scriptErrors = [];

    private ConsoleSession(IBrowserContext context, IPage page, Uri baseUrl)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl;
        page.PageError += (_, error) => _scriptErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _scriptErrors.Add(message.Text);
            }
        };
    }

    public IPage Page { get; }

    public Uri BaseUrl { get; }

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    /// <param name="signedIn">Whether the tab starts with the API key in sessionStorage, as after the key dialog.</param>
    public static async Task<ConsoleSession> OpenAsync(BrowserFixture browser, AppFixture app, bool signedIn = true)
    {
        // Chromium resolves no host name but 127.0.0.1 (see BrowserFixture), so not "localhost" either.
        var baseUrl = new UriBuilder(app.Graph.App.GetEndpoint("api", "http")) { Host = "127.0.0.1" }.Uri;
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        if (signedIn)
        {
            await context.AddInitScriptAsync(
                $"sessionStorage.setItem('campaigns.apiKey', {System.Text.Json.JsonSerializer.Serialize(app.Graph.ApiKey)});");
        }
        var page = await context.NewPageAsync();
        return new ConsoleSession(context, page, baseUrl);
    }

    public async Task GotoAsync(string hash)
    {
        await Page.GotoAsync($"/{hash}");
    }

    /// <summary>Saves the whole page as a PNG under bin/…/artifacts/screenshots and attaches it to the test.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, $"{name}.png");
        var bytes = await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.AddAttachment($"{name}.png", bytes, "image/png");
        return path;
    }

    public void AssertNoScriptErrors() =>
        Assert.True(_scriptErrors.Count == 0, $"Uncaught script errors or CSP violations: {string.Join(" | ", _scriptErrors)}");

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}

using Microsoft.Playwright;

namespace Campaigns.Tests.Browser;

/// <summary>
/// Browser tests run on their own, after the parallel tests: pages list the newest rows, and the
/// pause test needs the worker's pace undisturbed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// One headless Debian Chromium for every browser test of the run, driven by Playwright's bundled
/// driver: nothing is downloaded (no <c>playwright install</c>). <c>CHROMIUM_PATH</c> overrides the path.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started");

    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not at {ExecutablePath}: run `eng/install-prerequisites.sh chromium` (or set CHROMIUM_PATH)");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
                // Stops Chromium's look-ups of outside hosts, which this network refuses.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ],
        });
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}

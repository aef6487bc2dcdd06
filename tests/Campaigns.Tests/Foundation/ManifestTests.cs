using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Campaigns.AppHost;
using Campaigns.AppHost.Providers;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// The deployable description (docs/deploy.md): the built AppHost run with the manifest publisher, as
/// <c>dotnet run --project src/Campaigns.AppHost -- --publisher manifest --output-path …</c> would, with a
/// real provider account and a language model configured. Postgres and Redis are the standard containers
/// whatever this machine has, the services projects wired to them by connection string, every secret a
/// parameter whose value is not in the file, and the provider simulator absent although appsettings.json
/// turns it on.
/// </summary>
public sealed class ManifestTests(ManifestTests.PublishedManifest published) : IClassFixture<ManifestTests.PublishedManifest>
{
    private const string TwilioAuthToken = "not-in-the-manifest-4f6c1d";
    private const string PublicBaseUrl = "https://campaigns.example.com";
    private const string ModelKey = "sk-not-in-the-manifest-9b2e";

    private static readonly string[] Services = ["migrations", "api", "worker"];

    private JsonObject Resources => published.Resources;

    private JsonObject Resource(string name)
    {
        Assert.True(Resources.ContainsKey(name), $"no resource {name} in the manifest; it has {string.Join(", ", Resources.Select(r => r.Key))}");
        return Resources[name]!.AsObject();
    }

    private string Env(string resource, string variable)
    {
        var env = Resource(resource)["env"]?.AsObject();
        Assert.True(env?.ContainsKey(variable) == true, $"{resource} has no environment variable {variable}");
        return env![variable]!.GetValue<string>();
    }

    private static string Type(JsonObject resource) => resource["type"]!.GetValue<string>();

    [Fact]
    public void Postgres_and_redis_are_the_standard_containers_on_volumes_with_their_password_parameters()
    {
        var postgres = Resource("postgres");
        Assert.Equal("container.v0", Type(postgres));
        Assert.Contains("postgres", postgres["image"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("{postgres-password.value}", Env("postgres", "POSTGRES_PASSWORD"));
        // Nothing but the image creates the database in a deployment.
        Assert.Equal("campaignsdb", Env("postgres", "POSTGRES_DB"));
        Assert.Contains("Password={postgres-password.value}", postgres["connectionString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("campaigns-postgres-data", Assert.Single(postgres["volumes"]!.AsArray())!["name"]!.GetValue<string>());

        var database = Resource("campaignsdb");
        Assert.Equal("value.v0", Type(database));
        Assert.Equal("{postgres.connectionString};Database=campaignsdb", database["connectionString"]!.GetValue<string>());

        var redis = Resource("redis");
        Assert.Equal("container.v0", Type(redis));
        Assert.Contains("redis", redis["image"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("password={redis-password.value}", redis["connectionString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("campaigns-redis-data", Assert.Single(redis["volumes"]!.AsArray())!["name"]!.GetValue<string>());

        // Nothing of the local processes this machine runs them as.
        Assert.DoesNotContain(Resources, resource => Type(resource.Value!.AsObject()).StartsWith("executable", StringComparison.Ordinal));
        Assert.Equal(new[] { "postgres", "redis" }, Resources.Where(r => Type(r.Value!.AsObject()).StartsWith("container", StringComparison.Ordinal)).Select(r => r.Key).Order());
    }

    [Fact]
    public void Migrations_api_and_worker_are_projects_that_reach_the_database_and_redis_by_reference()
    {
        Assert.Equal(Services.Order(), Resources.Where(r => Type(r.Value!.AsObject()).StartsWith("project", StringComparison.Ordinal)).Select(r => r.Key).Order());
        Assert.EndsWith("Campaigns.MigrationService/Campaigns.MigrationService.csproj", Resource("migrations")["path"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("Campaigns.Api/Campaigns.Api.csproj", Resource("api")["path"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("Campaigns.Worker/Campaigns.Worker.csproj", Resource("worker")["path"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.All(Services, service => Assert.Equal("{campaignsdb.connectionString}", Env(service, "ConnectionStrings__campaignsdb")));
        Assert.All(["api", "worker"], service => Assert.Equal("{redis.connectionString}", Env(service, "ConnectionStrings__redis")));
        // The migrations need the database alone.
        Assert.False(Resource("migrations")["env"]!.AsObject().ContainsKey("ConnectionStrings__redis"));
        // The API and the worker serve /health and /alive over HTTP.
        Assert.All(["api", "worker"], service => Assert.NotNull(Resource(service)["bindings"]?["http"]));
    }

    [Fact]
    public void Every_secret_is_a_secret_parameter_and_no_secret_value_is_written()
    {
        // Server passwords: generated by the deployment tool.
        Assert.All(["postgres-password", "redis-password"], name =>
        {
            var input = Parameter(name, secret: true);
            Assert.NotNull(input["default"]?["generate"]);
        });
        // The API key: asked for (the operator gives it to the clients), the API's accepted key.
        Assert.Null(Parameter("api-key", secret: true)["default"]);
        Assert.Equal("{api-key.value}", Env("api", "Auth__ApiKeys__0"));
        // A provider account's secret, from the publishing AppHost's configuration: a parameter, its value left out.
        Assert.Null(Parameter("providers-twilio-authtoken", secret: true)["default"]);
        Assert.All(["api", "worker"], service =>
            Assert.Equal("{providers-twilio-authtoken.value}", Env(service, "Providers__Twilio__AuthToken")));
        Assert.DoesNotContain(TwilioAuthToken, published.Text, StringComparison.Ordinal);
        // The optional language model, configured when publishing: a secret connection-string parameter of both services.
        Assert.Null(Parameter("ai", secret: true)["default"]);
        Assert.Equal("{ai.value}", Resource("ai")["connectionString"]!.GetValue<string>());
        Assert.All(["api", "worker"], service => Assert.Equal("{ai.connectionString}", Env(service, "ConnectionStrings__ai")));
        Assert.DoesNotContain(ModelKey, published.Text, StringComparison.Ordinal);
        // Nothing generated on disk either: publishing makes up no password of its own.
        Assert.False(Directory.Exists(published.DataDirectory), "publishing wrote into the data directory");
    }

    [Fact]
    public void Provider_settings_pass_as_configured_and_the_public_address_of_webhooks_and_short_links_is_a_parameter()
    {
        Assert.All(["api", "worker"], service =>
        {
            Assert.Equal("twilio", Env(service, "Providers__Sms__Chain__0"));
            Assert.Equal("AC42", Env(service, "Providers__Twilio__AccountSid"));
            Assert.Equal($"{{{PublicAddress.Parameter}.value}}", Env(service, "Webhooks__PublicBaseUrl"));
            // Not the API's endpoint: a deployed one is internal, and the links go to phones.
            Assert.Equal($"{{{PublicAddress.Parameter}.value}}", Env(service, "Links__BaseUrl"));
        });
        var publicBaseUrl = Parameter(PublicAddress.Parameter, secret: false);
        Assert.Equal(PublicBaseUrl, publicBaseUrl["default"]?["value"]?.GetValue<string>());
    }

    [Fact]
    public void The_provider_simulator_is_left_out_although_the_switch_is_on()
    {
        // The premise: the AppHost's settings, which the publishing AppHost read, turn the simulator on.
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Projects.Campaigns_AppHost.ProjectPath, "appsettings.json")))!;
        Assert.True(settings["Providers"]?["Simulator"]?.GetValue<bool>());

        Assert.False(Resources.ContainsKey(SimulatedProviders.ResourceName));
        Assert.DoesNotContain(SimulatedProviders.ResourceName, published.Text, StringComparison.Ordinal);
        // Nor its generated credentials.
        Assert.False(Resources.ContainsKey(SimulatedProviders.TwilioAuthTokenParameter));
    }

    [Fact]
    public async Task The_services_start_after_the_migrations_completed_an_order_the_manifest_cannot_carry()
    {
        var ct = TestContext.Current.CancellationToken;
        // The same AppHost in publish mode, its model read in-process: the order is in the waits.
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Campaigns_AppHost>(
            [.. PublishedManifest.PublishArguments(Path.Combine(published.Folder, "model.json"), published.DataDirectory)], ct);
        Assert.True(builder.ExecutionContext.IsPublishMode);
        var waits = builder.Resources.ToDictionary(resource => resource.Name,
            resource => resource.Annotations.OfType<WaitAnnotation>().Select(wait => (wait.Resource.Name, wait.WaitType)).ToList());

        // The migrations wait for the server and its database only.
        Assert.Equal(["campaignsdb", "postgres"], waits[MigrationsResource.Name].Select(wait => wait.Name).Order());
        Assert.All(waits[MigrationsResource.Name], wait => Assert.Equal(WaitType.WaitUntilHealthy, wait.WaitType));
        Assert.All(["api", "worker"], service =>
        {
            Assert.Contains((MigrationsResource.Name, WaitType.WaitForCompletion), waits[service]);
            Assert.Contains(("campaignsdb", WaitType.WaitUntilHealthy), waits[service]);
            Assert.Contains(("redis", WaitType.WaitUntilHealthy), waits[service]);
        });
        // The manifest format has no field for them: docs/deploy.md says how each platform is told.
        Assert.DoesNotContain("wait", published.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_reference_names_a_resource_of_the_manifest()
    {
        var referenced = Regex.Matches(published.Text, @"\{([a-z0-9-]+)\.[a-zA-Z.]+\}").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("campaignsdb", referenced);
        Assert.Contains("redis", referenced);
        Assert.All(referenced, name => Assert.True(Resources.ContainsKey(name), $"{{{name}.…}} refers to no resource"));
    }

    private JsonObject Parameter(string name, bool secret)
    {
        var parameter = Resource(name);
        Assert.Equal("parameter.v0", Type(parameter));
        Assert.Equal($"{{{name}.inputs.value}}", parameter["value"]!.GetValue<string>());
        var input = parameter["inputs"]!["value"]!.AsObject();
        Assert.Equal(secret, input["secret"]?.GetValue<bool>() ?? false);
        return input;
    }

    /// <summary>The manifest, published once for the class by the built AppHost.</summary>
    public sealed class PublishedManifest : IAsyncLifetime
    {
        private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(60);

        private readonly string _folder = Path.Combine(Path.GetTempPath(), $"campaigns-manifest-{Guid.NewGuid():N}");

        public string Folder => _folder;

        public string DataDirectory => Path.Combine(_folder, "data");

        public string Text { get; private set; } = "";

        public JsonObject Resources { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            Directory.CreateDirectory(_folder);
            var path = Path.Combine(_folder, "manifest", "campaigns.json");
            var appHostDirectory = Projects.Campaigns_AppHost.ProjectPath;
            // Where dotnet run (and azd) start it: its appsettings.json, the simulator's switch on, applies.
            await using var appHost = ServiceProcess.Start(Path.Combine(appHostDirectory, "Campaigns.AppHost.csproj"), new Dictionary<string, string>(),
                PublishArguments(path, DataDirectory), workingDirectory: appHostDirectory);
            using var timeout = new CancellationTokenSource(PublishTimeout);
            var exitCode = await appHost.WaitForExitAsync(timeout.Token);
            Assert.True(exitCode == 0 && File.Exists(path), $"publishing ended with {exitCode}:{Environment.NewLine}{appHost.Output}");
            Text = await File.ReadAllTextAsync(path);
            Resources = JsonNode.Parse(Text)!["resources"]!.AsObject();
        }

        /// <summary>The manifest publisher's arguments, with a provider account and a language model configured.</summary>
        public static string[] PublishArguments(string path, string dataDirectory) =>
        [
            "--publisher", "manifest", "--output-path", path,
            $"--Infrastructure:DataDirectory={dataDirectory}",
            // The simulator's switch is left as appsettings.json has it: on.
            "--Providers:Sms:Chain:0=twilio",
            "--Providers:Twilio:AccountSid=AC42",
            $"--Providers:Twilio:AuthToken={TwilioAuthToken}",
            "--Providers:Twilio:From=+15005550006",
            $"--Webhooks:PublicBaseUrl={PublicBaseUrl}",
            $"--ConnectionStrings:ai=Endpoint=https://models.example.com/v1;Key={ModelKey};Model=small",
        ];

        public ValueTask DisposeAsync()
        {
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}

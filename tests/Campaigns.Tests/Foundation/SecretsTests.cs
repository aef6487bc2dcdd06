using Campaigns.AppHost.Infrastructure;

namespace Campaigns.Tests.Foundation;

/// <summary>The generated passwords and API key: readable by their owner only, and the same at every start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretsTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"campaigns-secrets-{Guid.NewGuid():N}");

    private string SecretsFolder => Path.Combine(_dataDirectory, "secrets");

    [Fact]
    public void A_password_is_generated_once_into_a_folder_and_file_only_its_owner_reads()
    {
        var options = new InfrastructureOptions(UseContainers: false, _dataDirectory, Ephemeral: false);

        var password = options.PasswordFor("postgres");

        Assert.Matches("^[0-9a-f]{48}$", password);
        Assert.Equal(password, options.PasswordFor("postgres"));
        Assert.NotEqual(password, options.PasswordFor("redis"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(SecretsFolder));
        var files = Directory.GetFiles(SecretsFolder).Order().ToArray();
        Assert.Equal([Path.Combine(SecretsFolder, "postgres.password"), Path.Combine(SecretsFolder, "redis.password")], files);
        Assert.All(files, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
        // The data directory itself is not private: a server run as another user passes through it.
        Assert.True(File.GetUnixFileMode(_dataDirectory).HasFlag(UnixFileMode.OtherExecute));
    }

    [Fact]
    public void A_secrets_folder_an_older_AppHost_left_open_is_closed_and_its_passwords_kept()
    {
        Directory.CreateDirectory(SecretsFolder);
        File.SetUnixFileMode(SecretsFolder, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.WriteAllText(Path.Combine(SecretsFolder, "api-key.password"), "an-older-key\n");

        var key = new InfrastructureOptions(UseContainers: false, _dataDirectory, Ephemeral: false).PasswordFor("api-key");

        Assert.Equal("an-older-key", key);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(SecretsFolder));
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);
}

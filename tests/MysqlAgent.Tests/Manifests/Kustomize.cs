using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace MysqlAgent.Tests.Manifests;

/// <summary>Renders a kustomization with <c>kubectl kustomize</c>: no cluster needed.</summary>
internal static class Kustomize
{
    public const string InstallHint =
        "kubectl is not on PATH; the manifest tests render with `kubectl kustomize` and need no cluster. "
        + "Install it: apt-get install -y kubectl (from the Kubernetes apt repository, see "
        + "https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/) or download the kubectl "
        + "binary into /usr/local/bin.";

    public static async Task<string> RenderAsync(string directory)
    {
        try
        {
            var result = await Cli.Wrap("kubectl")
                .WithArguments(["kustomize", directory])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync();
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"kubectl kustomize {directory} exited {result.ExitCode}: {result.StandardError}"
                );
            }

            return result.StandardOutput;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(InstallHint, e);
        }
    }
}

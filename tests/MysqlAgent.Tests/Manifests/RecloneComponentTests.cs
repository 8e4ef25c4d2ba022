using k8s.Models;

namespace MysqlAgent.Tests.Manifests;

/// <summary>
/// The re-clone of errant pods, on with the base's elected primary: an errant pod's agent may
/// delete its own pod, and the clone container can move the datadir aside on the same volume. The
/// keep-errant component turns it off.
/// </summary>
public sealed class RecloneComponentTests(RenderedManifests manifests)
    : IClassFixture<RenderedManifests>
{
    private const string Kustomization = RenderedManifests.MariaDb;

    [Fact]
    public void The_clone_container_sees_the_datadir_mysqld_uses_inside_a_mount_of_the_volume_root()
    {
        var set = manifests.StatefulSet(Kustomization);
        var clone = Assert.Single(set.Spec.Template.Spec.InitContainers, c => c.Name == "clone");
        var mysqld = RenderedManifests.Container(set, "mysql");
        var dataDir = Assert.Single(
            clone.Args,
            a => a.StartsWith("--data-dir=", StringComparison.Ordinal)
        )["--data-dir=".Length..];
        var mysqldData = Assert.Single(mysqld.VolumeMounts, m => m.Name == "data");

        var root = Assert.Single(clone.VolumeMounts, m => m.Name == "data" && m.SubPath is null);
        Assert.Equal(Path.Combine(root.MountPath, mysqldData.SubPath), dataDir);
        Assert.NotEqual(root.MountPath, dataDir);
        // The init containers keep their order: the config first, then the clone.
        Assert.Equal(["init", "clone"], set.Spec.Template.Spec.InitContainers.Select(c => c.Name));
    }

    [Fact]
    public void The_agent_reclones_by_default_and_may_delete_the_set_pods_and_nothing_more()
    {
        var set = manifests.StatefulSet(Kustomization);
        var agent = RenderedManifests.Container(set, "agent");
        var role = manifests.Named<V1Role>(Kustomization, "mysql-agent-reclone");
        var binding = manifests.Named<V1RoleBinding>(Kustomization, "mysql-agent-reclone");

        // On by default in the agent: nothing turns it off.
        Assert.DoesNotContain(agent.Env, e => e.Name == "MYSQL_AGENT_RECLONE_ERRANT");
        Assert.DoesNotContain(
            agent.Args ?? [],
            a => a.StartsWith("--reclone-errant", StringComparison.Ordinal)
        );
        var rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["delete"], rule.Verbs);
        Assert.Null(rule.ResourceNames);
        Assert.Equal(("Role", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(set.Spec.Template.Spec.ServiceAccountName, subject.Name);
    }

    [Fact]
    public void The_keep_errant_component_turns_it_off_and_takes_the_pods_delete_role_away()
    {
        const string keeping = RenderedManifests.MariaDbKeepingErrant;
        var agent = RenderedManifests.Container(manifests.StatefulSet(keeping), "agent");

        Assert.Contains(
            agent.Env,
            e => e.Name == "MYSQL_AGENT_RECLONE_ERRANT" && e.Value == "false"
        );
        Assert.DoesNotContain(
            manifests.Objects(keeping).OfType<V1Role>(),
            r => r.Rules.Any(rule => rule.Verbs.Contains("delete"))
        );
        Assert.DoesNotContain(
            manifests.Objects(keeping).OfType<V1RoleBinding>(),
            b => b.Metadata.Name == "mysql-agent-reclone"
        );
        // The election's own Role stays, and with it the Lease store.
        Assert.Equal(
            ["mysql-agent"],
            manifests.Objects(keeping).OfType<V1Role>().Select(r => r.Metadata.Name)
        );
        Assert.Contains(
            agent.Env,
            e => e.Name == "MYSQL_AGENT_LEASE_STORE" && e.Value == "kubernetes"
        );
    }
}

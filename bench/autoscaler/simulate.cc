// sluice-autoscaler-sim: replays a load profile against Sluice's WorkerAutoscaler
// (the operator's TargetTracker, with the example spec), a plain HPA and KEDA's
// aws-sqs-queue ScaledObject, each with its own simulated workers, and prints
// per-policy figures; --csv writes one row per simulated second. See README.md.

#include <boost/program_options.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>

#include "bench/autoscaler/run_summary.h"
#include "bench/autoscaler/spec_file.h"

namespace po = boost::program_options;
using namespace sluice::bench;

namespace {

struct Lane {
  std::string name;
  std::function<std::unique_ptr<Policy>()> make;
};

std::vector<Lane> lanes(const sluice::autoscaler::Spec& spec, std::optional<double> what_if_in_flight) {
  const double target = spec.triggers.at(0).target_backlog_per_replica;
  const int max = spec.max_replicas;
  KedaSettings keda_default;  // queueLength 5, KEDA's default
  keda_default.max_replica_count = max;
  KedaSettings keda_same = keda_default;  // the same target as Sluice's, for a like-for-like comparison
  keda_same.queue_length = target;
  std::vector<Lane> out{
      {"sluice", [spec] { return make_sluice_policy(spec); }},
      {"hpa", [target, max] { return make_hpa_policy(target, max); }},
      {"keda-q5", [keda_default] { return make_keda_policy(keda_default); }},
      {"keda-q" + std::to_string(int(target)), [keda_same] { return make_keda_policy(keda_same); }},
  };
  if (what_if_in_flight) {
    const double c = *what_if_in_flight;
    out.push_back({"sluice+if" + std::to_string(int(c)), [spec, c] { return make_sluice_in_flight_policy(spec, c); }});
  }
  return out;
}

std::vector<LaneResult> run_all(const std::vector<Lane>& ls, const LoadProfile& profile, const WorkerSettings& w,
                                std::optional<int> restart_at) {
  const std::vector<double> noise = noise_factors(profile);
  std::vector<LaneResult> out;
  for (const auto& l : ls) {
    auto policy = l.make();
    out.push_back(run_lane(l.name, *policy, profile, noise, w, restart_at));
  }
  return out;
}

void write_csv(const std::string& path, const std::vector<LaneResult>& results) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error("cannot write " + path);
  f << "t";
  for (const auto& r : results)
    for (const char* col : {"backlog", "in_flight", "replicas", "ready", "observed"}) f << ',' << r.name << '_' << col;
  f << '\n';
  for (size_t t = 0; t < results.at(0).samples.size(); ++t) {
    f << t;
    for (const auto& r : results) {
      const Sample& s = r.samples[t];
      f << ',' << s.visible << ',' << s.in_flight << ',' << s.replicas << ',' << s.ready << ','
        << std::llround(s.observed);
    }
    f << '\n';
  }
}

// Reversals summed over several loads and seeds, so that a zero is not luck.
int sweep(const std::vector<Lane>& ls, LoadProfile profile, const WorkerSettings& w, const std::vector<double>& values,
          int seeds, int window, std::optional<int> restart_at) {
  const bool held = profile.held_backlog >= 0;
  std::map<std::string, int> reversals, changes;
  for (double v : values) {
    for (int seed = 1; seed <= seeds; ++seed) {
      if (held) profile.held_backlog = int64_t(v);
      else profile.rate = v;
      profile.seed = uint64_t(seed);
      for (const auto& r : run_all(ls, profile, w, restart_at)) {
        reversals[r.name] += count_reversals(r.changes, window);
        changes[r.name] += int(r.changes.size());
      }
    }
  }
  std::printf("\nsweep: %s in {", held ? "held backlog" : "rate (msg/s)");
  for (size_t i = 0; i < values.size(); ++i) std::printf("%s%g", i ? ", " : "", values[i]);
  std::printf("} x seeds 1..%d, %d s each%s\n", seeds, profile.duration_seconds,
              restart_at ? (", controller restarted at " + std::to_string(*restart_at) + " s").c_str() : "");
  for (const auto& l : ls)
    std::printf("  %-11s scale changes %5d   reversals<%ds %4d\n", l.name.c_str(), changes[l.name], window,
                reversals[l.name]);
  return reversals["sluice"];
}

// The figures the CTest entry holds Sluice to.
int check(const LoadProfile& profile, const Summary& s, const Ideal& ideal, uint64_t deleted) {
  std::vector<std::string> failed;
  if (profile.held_backlog < 0 && deleted + s.left_at_end != profile.total_sent())
    failed.push_back("messages not conserved");
  if (profile.burst > 0) {
    if (!s.drain_seconds) {
      failed.push_back("the burst did not drain");
    } else if (s.burst_replica_seconds > 1.2 * ideal.burst_replica_seconds) {
      failed.push_back("burst replica-seconds " + std::to_string(s.burst_replica_seconds) + " > 1.2 x ideal " +
                       std::to_string(ideal.burst_replica_seconds));
    }
    if (profile.silence_starts() && !s.zero_after_silence) failed.push_back("replicas did not return to 0");
    if (s.left_at_end != 0) failed.push_back("messages left at the end");
  }
  if (profile.noise > 0 && s.reversals != 0) failed.push_back(std::to_string(s.reversals) + " reversals under noise");
  for (const auto& f : failed) std::printf("CHECK FAILED (sluice): %s\n", f.c_str());
  if (failed.empty()) std::printf("CHECK ok (sluice)\n");
  return failed.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string profile_name, spec_path, csv;
  WorkerSettings workers;
  std::optional<int> restart_at;
  po::options_description desc(
      "sluice-autoscaler-sim: Sluice's WorkerAutoscaler vs a plain HPA vs KEDA's aws-sqs-queue scaler");
  // clang-format off
  desc.add_options()
      ("help", "this text")
      ("profile", po::value(&profile_name)->default_value("burst"), "burst | short | noise | steady")
      ("spec", po::value(&spec_path)->default_value(SLUICE_EXAMPLE_SPEC), "WorkerAutoscaler manifest for Sluice's policy")
      ("throughput", po::value(&workers.throughput)->default_value(10), "messages per second per Ready replica")
      ("startup", po::value(&workers.startup)->default_value(10), "seconds from pod creation to Ready")
      ("burst", po::value<uint64_t>(), "messages sent at t=0")
      ("rate", po::value<double>(), "messages per second after the burst")
      ("rate-seconds", po::value<int>(), "how long the rate lasts; silence after")
      ("duration", po::value<int>(), "simulated seconds")
      ("held-backlog", po::value<int64_t>(), "keep the queue at this depth instead of a rate")
      ("noise", po::value<double>(), "uniform +- fraction on every metric read (0.2 = +-20%)")
      ("seed", po::value<uint64_t>(), "noise seed")
      ("what-if-in-flight", po::value<double>(), "add a lane: Sluice plus a trigger on in-flight only, this many per replica")
      ("restart-at", po::value<int>(), "restart every controller (in-memory state lost) at this second")
      ("sweep", po::value<std::vector<double>>()->multitoken(), "also sum reversals over these held backlogs (or rates)")
      ("sweep-seeds", po::value<int>()->default_value(10), "seeds per sweep value")
      ("csv", po::value(&csv), "write one row per simulated second here")
      ("check", "exit 1 unless Sluice meets its figures on this profile");
  // clang-format on
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << '\n';
    return 0;
  }
  auto profile = named_profile(profile_name);
  if (!profile) {
    std::fprintf(stderr, "unknown profile %s (burst, short, noise, steady)\n", profile_name.c_str());
    return 2;
  }
  if (vm.count("burst")) profile->burst = vm["burst"].as<uint64_t>();
  if (vm.count("rate")) profile->rate = vm["rate"].as<double>();
  if (vm.count("rate-seconds")) profile->rate_seconds = vm["rate-seconds"].as<int>();
  if (vm.count("duration")) profile->duration_seconds = vm["duration"].as<int>();
  if (vm.count("held-backlog")) profile->held_backlog = vm["held-backlog"].as<int64_t>();
  if (vm.count("noise")) profile->noise = vm["noise"].as<double>();
  if (vm.count("seed")) profile->seed = vm["seed"].as<uint64_t>();
  if (vm.count("restart-at")) restart_at = vm["restart-at"].as<int>();
  if (workers.throughput < 1 || workers.startup < 0 || profile->duration_seconds < 1) {
    std::fprintf(stderr, "throughput >= 1, startup >= 0 and duration >= 1 please\n");
    return 2;
  }

  sluice::autoscaler::Spec spec;
  try {
    spec = load_spec_file(spec_path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const double target = spec.triggers.at(0).target_backlog_per_replica;
  const int window = spec.behavior.scale_down.stabilization_window_seconds;
  std::optional<double> what_if;
  if (vm.count("what-if-in-flight")) what_if = vm["what-if-in-flight"].as<double>();
  const auto ls = lanes(spec, what_if);
  const auto results = run_all(ls, *profile, workers, restart_at);
  if (!csv.empty()) write_csv(csv, results);

  const Ideal ideal = ideal_schedule(*profile, target, spec.max_replicas, workers);
  std::vector<Summary> rows;
  for (const auto& r : results) rows.push_back(summarize(r, *profile, window));

  std::printf("profile %s: ", profile->name.c_str());
  if (profile->burst) std::printf("burst %llu at t=0, ", (unsigned long long)profile->burst);
  if (profile->held_backlog >= 0)
    std::printf("backlog held at %lld for %d s, ", (long long)profile->held_backlog, profile->rate_seconds);
  else if (profile->rate > 0) std::printf("%g msg/s for %d s, ", profile->rate, profile->rate_seconds);
  std::printf("%d s in all; noise +-%g%%; workers %d msg/s each, Ready %d s after creation%s\n",
              profile->duration_seconds, profile->noise * 100, workers.throughput, workers.startup,
              restart_at ? (", controllers restarted at " + std::to_string(*restart_at) + " s").c_str() : "");
  std::printf(
      "sluice: %s (target %g, min %d, max %d, poll %d s); hpa: target %g, min 1, max %d, sync 15 s; "
      "keda: pollingInterval 30 s, cooldownPeriod 300 s, min 0, max %d, HPA sync 15 s\n",
      spec_path.c_str(), target, spec.min_replicas, spec.max_replicas, spec.behavior.polling_interval_seconds, target,
      spec.max_replicas, spec.max_replicas);
  std::fputs(format_table(rows, *profile, ideal, window).c_str(), stdout);
  std::printf(
      "drain: t=0 to the deletion of the last burst message; burst replica-s: replicas summed over those "
      "seconds (x: / ideal); to zero: from the silence to 0 replicas for good\n");
  if (!csv.empty()) std::printf("csv: %s\n", csv.c_str());

  int sweep_reversals = 0;
  if (vm.count("sweep")) {
    sweep_reversals = sweep(ls, *profile, workers, vm["sweep"].as<std::vector<double>>(), vm["sweep-seeds"].as<int>(),
                            window, restart_at);
  }
  if (vm.count("check")) {
    int rc = check(*profile, rows.at(0), ideal, results.at(0).deleted);
    if (sweep_reversals != 0) {
      std::printf("CHECK FAILED (sluice): %d reversals in the sweep\n", sweep_reversals);
      rc = 1;
    }
    return rc;
  }
  return 0;
}

# R spdep peer of `npm run cli -- hotspots --star --weights gal:FILE`: reads the same cells (CSV id,count)
# and the same GAL neighbours, builds the matching listw (include.self, binary style "B": Gi* with
# w_ii = 1), and writes id,z (localG) per cell, or with permutations id,z,p_folded (localG_perm; spdep
# draws each cell's sample on its own, with replacement, from the other cells' values).
# With warm_runs > 0 prints JSON instead: the load time and that many timings of the statistic alone.
# Neighbour ids are 1 … n, the cells' ids in file order.
# Usage: Rscript spdep_localg.R cells.csv cells.gal out.csv permutations [warm_runs]
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 4) stop("usage: Rscript spdep_localg.R cells.csv cells.gal out.csv permutations [warm_runs]")
permutations <- as.integer(args[4])
warm_runs <- if (length(args) > 4) as.integer(args[5]) else 0L
suppressPackageStartupMessages(library(spdep))
elapsed_ms <- function(started) (proc.time()[["elapsed"]] - started) * 1000
started <- proc.time()[["elapsed"]]
cells <- read.csv(args[1])
# The GAL lines parsed here into spdep's nb: read.gal of spdep 1.2-7 takes time quadratic in the cells
# (5 s for 4,000, 131 s for 16,000 on the bench machine), which would time the reader, not the statistic.
read_gal_nb <- function(path, ids) {
  lines <- readLines(path)
  n <- as.integer(strsplit(trimws(lines[1]), "[[:space:]]+")[[1]][1])
  heads <- strsplit(trimws(lines[seq(2, by = 2, length.out = n)]), "[[:space:]]+")
  if (!identical(vapply(heads, `[`, "", 1), as.character(ids))) stop("the GAL ids are not the cells' ids in order")
  neighbours <- lapply(strsplit(trimws(lines[seq(3, by = 2, length.out = n)]), "[[:space:]]+"), function(ids) {
    ids <- as.integer(ids[ids != ""])
    if (length(ids) == 0) 0L else sort(ids)
  })
  structure(neighbours, class = "nb", region.id = as.character(ids), call = match.call(), sym = TRUE)
}
nb <- read_gal_nb(args[2], cells$id)
lw <- nb2listw(include.self(nb), style = "B")
load_ms <- elapsed_ms(started)
statistic <- function() {
  if (permutations > 0) localG_perm(cells$count, lw, nsim = permutations, iseed = 1) else localG(cells$count, lw)
}
if (warm_runs > 0) {
  times <- numeric(warm_runs)
  for (k in seq_len(warm_runs)) {
    started <- proc.time()[["elapsed"]]
    g <- statistic()
    times[k] <- elapsed_ms(started)
  }
  cat(sprintf('{"version":"%s","r":"%s","load_ms":%.3f,"warm_ms":[%s]}\n', as.character(packageVersion("spdep")),
              paste(R.version$major, R.version$minor, sep = "."), load_ms, paste(sprintf("%.3f", times), collapse = ",")))
} else {
  g <- statistic()
  out <- data.frame(id = cells$id, z = as.numeric(g))
  if (permutations > 0) out$p_folded <- attr(g, "internals")[, "Pr(folded) Sim"]
  write.csv(out, args[3], row.names = FALSE)
}

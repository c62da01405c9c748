# R spdep's statistics on St Louis (HR8893), NC SIDS (SIDR74) and de Smith's example, computed live by
# spdep-live.test.ts when Rscript and Debian's r-cran-spdep (with r-cran-sf, -foreign, -jsonlite) are
# installed: Gi and Gi* (binary and row-standardised), General G, global and local Moran's I (conditional
# moments), and the queen contiguity of the St Louis polygons (poly2nb) beside the published stl.gal.
# Usage: Rscript test/server/analysis/hotspots/spdep-live.R <testdata>/spatial-stats > out.json

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript spdep-live.R <spatial-stats directory>")
data_dir <- args[1]
suppressPackageStartupMessages({
  library(spdep)
  library(sf)
  library(foreign)
  library(jsonlite)
})

# Statistics of x on neighbour lists nb; Getis-Ord ones only for non-negative values.
statistics <- function(x, nb, getis = TRUE) {
  lw_w <- nb2listw(nb, style = "W")
  local <- localmoran(x, lw_w, conditional = TRUE, alternative = "two.sided")
  random <- moran.test(x, lw_w, randomisation = TRUE, alternative = "two.sided")
  normal <- moran.test(x, lw_w, randomisation = FALSE, alternative = "two.sided")
  out <- list(
    moranI = unname(random$estimate[1]),
    moranZRandom = unname(random$statistic),
    moranZNormal = unname(normal$statistic),
    localMoranIi = as.numeric(local[, "Ii"]),
    localMoranZ = as.numeric(local[, "Z.Ii"])
  )
  if (getis) {
    lw_b <- nb2listw(nb, style = "B")
    general <- globalG.test(x, lw_b, alternative = "greater")
    out$giStarBinary <- as.numeric(localG(x, nb2listw(include.self(nb), style = "B")))
    out$giStarRowStandardized <- as.numeric(localG(x, nb2listw(include.self(nb), style = "W")))
    out$giBinary <- as.numeric(localG(x, lw_b))
    out$globalG <- unname(general$estimate[1])
    out$globalGZ <- unname(general$statistic)
  }
  out
}
neighbor_lists <- function(nb) lapply(nb, function(x) if (length(x) == 1 && x[1] == 0) integer(0) else as.integer(x))

stl <- read.csv(file.path(data_dir, "stl/stl_hom.csv"))
stl_gal <- read.gal(file.path(data_dir, "stl/stl.gal"), region.id = 1:78)
stl_queen <- poly2nb(st_as_sf(stl, wkt = "WKT"), queen = TRUE)
sids <- read.dbf(file.path(data_dir, "sids2/sids2.dbf"))
sids_gal <- read.gal(file.path(data_dir, "sids2/sids2.gal"), region.id = sids$FIPSNO)
desmith <- read.csv(file.path(data_dir, "desmith/desmith.txt"), skip = 1)
desmith_gal <- read.gal(file.path(data_dir, "desmith/desmith.gal"), region.id = 1:10)

out <- list(
  versions = paste(R.version.string, "and spdep", as.character(packageVersion("spdep"))),
  stl = c(statistics(stl$HR8893, stl_gal), list(galNeighbors = neighbor_lists(stl_gal))),
  stlQueen = c(statistics(stl$HR8893, stl_queen), list(neighbors = neighbor_lists(stl_queen))),
  sids = statistics(sids$SIDR74, sids_gal),
  desmith = statistics(desmith$z, desmith_gal, getis = FALSE)
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
cat("\n")

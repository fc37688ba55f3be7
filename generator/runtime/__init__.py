"""What the stages share while a command runs: worker processes, results kept between builds,
content known by its hash, atomic writes, background removal."""

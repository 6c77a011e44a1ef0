"""`make bench`: every benchmark, each printing its figures and ratios side by side."""

from bench import gated_pages

if __name__ == "__main__":
    gated_pages.main()

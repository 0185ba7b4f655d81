"""Pages of the projects app: staff pages (staff.py), dashboards (dashboard.py), public 公示 (public.py)."""

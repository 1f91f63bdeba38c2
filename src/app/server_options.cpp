int main_placeholder_server_options();
